package dev.gantry.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageSet;
import dev.gantry.losses.Objective;
import dev.gantry.models.Discriminator;
import dev.gantry.models.Generator;
import dev.gantry.models.Models;
import dev.gantry.models.PixelMeans;
import dev.gantry.models.Sampler;
import dev.gantry.nn.Param;
import dev.gantry.optim.Optimizer;
import dev.gantry.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains a generator against a discriminator: the minimax game of Goodfellow et al. (2014).
 *
 * <p>Two schedules: {@code simultaneous}, the authors' code, where D's and G's gradients come from
 * the same minibatch and noise and both networks step together; and {@code alternating}, the
 * paper's Algorithm 1, with k discriminator steps (each on its own minibatch) before each
 * generator step. The losses' phases (D main, D regularisation, G main, after a D update) belong
 * to the {@link Objective}; the trainer walks the schedule. Gradients never leak: D scores G's samples cut from G's graph for its own loss,
 * and G's loss flows through D with D's parameters cut from the graph, so one backward pass over
 * the sum fills each network with its own gradient only.
 *
 * <p>Every step reseeds the engine from (seed, step) (see {@link Seeds}), and the data order of an
 * epoch derives from (seed, epoch): a checkpoint's counters are its RNG state.
 */
public final class GanTrainer implements TrainingView, AutoCloseable {

    /** How a call to {@link #train} ended. */
    public enum Outcome { FINISHED, INTERRUPTED, DIVERGED }

    private final RunConfig config;
    private final ImageSet data;
    private final NDManager manager;
    private final Generator generator;
    private final Discriminator discriminator;
    private final Objective objective;
    private final Optimizer optG;
    private final Optimizer optD;
    private final NDArray fixedNoise;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final float[] batchBuffer;

    private long step;
    private int epoch;
    private int stepInEpoch;
    private StepStats lastStats;
    private long windowStartNanos;
    private long windowExamples;

    /**
     * @throws dev.gantry.BadInputException before anything is built when the model does not fit
     *     the data's shape, or the loss asks what the model cannot give
     */
    public GanTrainer(RunConfig config, ImageSet data) {
        Footprint.check(config, data.shape());   // before the first allocation: sizes the memory cannot hold are refused
        this.config = config;
        this.data = data;
        this.manager = NDManager.newBaseManager();
        Seeds.seedEngine(config.seed(), Seeds.INIT, 0);
        Models.Pair pair;
        try {
            pair = Models.build(manager, config.model(), data.shape(), data.n() > 0 ? PixelMeans.of(data) : PixelMeans.constant(0.5, data.dim()));
            this.objective = new Objective(config.loss(), pair.discriminator());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.generator = pair.generator();
        this.discriminator = pair.discriminator();
        this.optG = Optimizer.create(manager, generator.params(), config.optim());
        this.optD = Optimizer.create(manager, discriminator.params(), config.optim());
        int side = config.train().gridSide();
        Seeds.seedEngine(config.seed(), Seeds.FIXED_NOISE, 0);
        this.fixedNoise = generator.sampleNoise(manager, side * side);
        this.batchBuffer = new float[config.train().batchSize() * data.dim()];
    }

    public GanTrainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Asks the loop to stop after the current step (safe to call from another thread). */
    @Override
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Minibatches of D per step: 1 (simultaneous) or k (alternating). */
    public int batchesPerStep() {
        return "alternating".equals(config.train().schedule()) ? config.train().k() : 1;
    }

    /** Steps in one epoch: the minibatches of one pass over the data, divided among the steps. */
    @Override
    public int stepsPerEpoch() {
        return data.n() / config.train().batchSize() / batchesPerStep();
    }

    /**
     * Trains until {@code targetEpochs} epochs are complete, a stop is requested or a loss diverges.
     */
    public Outcome train(int targetEpochs) {
        if (stepsPerEpoch() == 0) {
            throw new IllegalStateException("an epoch has no step: data.train_size " + data.n()
                    + " < train.batch_size × k = " + config.train().batchSize() * batchesPerStep());
        }
        listeners.forEach(l -> l.onStart(this));
        Outcome outcome = Outcome.FINISHED;
        windowStartNanos = System.nanoTime();
        windowExamples = 0;
        loop:
        while (epoch < targetEpochs) {
            int[] order = permutation(epoch);
            while (stepInEpoch < stepsPerEpoch()) {
                if (stopRequested.get()) {
                    outcome = Outcome.INTERRUPTED;
                    break loop;
                }
                boolean wantStats = (step + 1) % config.train().statsEvery() == 0 || stepInEpoch + 1 == stepsPerEpoch();
                StepStats stats = trainStep(order, wantStats);
                step++;
                stepInEpoch++;
                if (stats != null) {
                    lastStats = stats;
                }
                for (TrainingListener l : listeners) {
                    l.onStep(this, stats);
                }
                if (stats != null && stats.diverged()) {
                    outcome = Outcome.DIVERGED;
                    break loop;
                }
            }
            epoch++;
            stepInEpoch = 0;
            listeners.forEach(l -> l.onEpochEnd(this));
        }
        Outcome end = outcome;
        listeners.forEach(l -> l.onEnd(this, end));
        return outcome;
    }

    /** The order in which epoch {@code e} visits the training images (a seeded Fisher–Yates shuffle). */
    int[] permutation(int e) {
        int[] order = new int[data.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(config.seed(), Seeds.SHUFFLE, e));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * A minibatch: images [B, C, H, W] and, for labelled data, their labels [B], kept as a Java
     * array: no model consumes labels yet, so no engine call is spent on them every step.
     */
    record Batch(NDArray images, int[] labels) {}

    private Batch batch(NDManager sm, int[] order, int batchIndex) {
        int b = config.train().batchSize();
        int dim = data.dim();
        int[] labels = data.labelled() ? new int[b] : null;
        for (int i = 0; i < b; i++) {
            int index = order[batchIndex * b + i];
            System.arraycopy(data.pixels(), index * dim, batchBuffer, i * dim, dim);
            if (labels != null) {
                labels[i] = data.labels()[index];
            }
        }
        // DJL copies the array into a fresh direct buffer that the tensor wraps (from_blob) and that
        // lives as long as the tensor's Java object; sm keeps it until the step, backward included,
        // is over. (A tensor over one reused buffer would change under the graph.)
        var s = data.shape();
        NDArray images = sm.create(batchBuffer, new Shape(b, s.channels(), s.height(), s.width()));   // [B, C, H, W]
        return new Batch(images, labels);
    }

    private StepStats trainStep(int[] order, boolean wantStats) {
        Seeds.seedEngine(config.seed(), Seeds.STEP, step);
        int b = config.train().batchSize();
        double lr = optG.learningRate();
        double momentum = optG.momentum(epoch);
        StepStats stats;
        try (NDManager sm = manager.newSubManager()) {
            Scalars s = "alternating".equals(config.train().schedule())
                    ? alternatingStep(sm, order, b, wantStats)
                    : simultaneousStep(sm, order, b, wantStats);
            windowExamples += (long) b * batchesPerStep();
            stats = null;
            if (wantStats) {
                long now = System.nanoTime();
                double sps = windowExamples / Math.max(1e-9, (now - windowStartNanos) / 1e9);
                windowStartNanos = now;
                windowExamples = 0;
                stats = new StepStats(step + 1, epoch, s.lossD, s.lossG, s.dReal, s.dFake, s.gradNormG, s.gradNormD,
                        lr, momentum, sps);
            }
        }
        return stats;
    }

    /** The authors' update: one minibatch and one noise batch give both D's and G's gradients. */
    private Scalars simultaneousStep(NDManager sm, int[] order, int b, boolean wantStats) {
        Scalars s = new Scalars();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = batch(sm, order, stepInEpoch).images();                 // [B, C, H, W]
            NDArray fake = generator.forward(generator.sampleNoise(sm, b), false);  // [B, C, H, W]
            NDList realMasks = discriminator.sampleMasks(sm, b);
            NDList fakeMasks = discriminator.sampleMasks(sm, b);
            NDArray realLogits = discriminator.logits(x, realMasks, false);     // [B]
            // D's objective: G's samples enter cut from G's graph.
            NDArray fakeCut = fake.stopGradient();
            NDArray fakeLogitsD = discriminator.logits(fakeCut, fakeMasks, false);
            NDArray lossD = objective.discriminatorLoss(sm, discriminator, realLogits, fakeLogitsD, x, fakeCut);
            // G's objective: the same thinned D, its parameters cut from the graph.
            NDArray fakeLogitsG = discriminator.logits(fake, fakeMasks, true);
            NDArray lossG = objective.generatorLoss(fakeLogitsG);
            gc.backward(lossD.add(lossG));
            if (wantStats) {
                s.read(lossD, lossG, realLogits, fakeLogitsD);
            }
        }
        if (wantStats) {
            s.gradNormG = gradNorm(generator.params());
            s.gradNormD = gradNorm(discriminator.params());
        }
        optD.step(epoch);
        objective.afterDiscriminatorStep(discriminator);
        optG.step(epoch);
        return s;
    }

    /** Algorithm 1 of the paper: k discriminator steps, each on a fresh minibatch, then one generator step. */
    private Scalars alternatingStep(NDManager sm, int[] order, int b, boolean wantStats) {
        Scalars s = new Scalars();
        int k = batchesPerStep();
        for (int i = 0; i < k; i++) {
            // Ascend D's value: real minibatch against samples from the frozen generator.
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = batch(sm, order, stepInEpoch * k + i).images();
                NDArray fake = generator.forward(generator.sampleNoise(sm, b), true);
                NDArray realLogits = discriminator.logits(x, discriminator.sampleMasks(sm, b), false);
                NDArray fakeLogits = discriminator.logits(fake, discriminator.sampleMasks(sm, b), false);
                NDArray lossD = objective.discriminatorLoss(sm, discriminator, realLogits, fakeLogits, x, fake);
                gc.backward(lossD);
                if (wantStats && i == k - 1) {
                    s.read(lossD, null, realLogits, fakeLogits);
                    s.gradNormD = gradNorm(discriminator.params());
                }
            }
            optD.step(epoch);
            objective.afterDiscriminatorStep(discriminator);
        }
        // Descend G's objective through the frozen discriminator, on fresh noise.
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray fake = generator.forward(generator.sampleNoise(sm, b), false);
            NDArray fakeLogits = discriminator.logits(fake, discriminator.sampleMasks(sm, b), true);
            NDArray lossG = objective.generatorLoss(fakeLogits);
            gc.backward(lossG);
            if (wantStats) {
                s.lossG = lossG.getFloat();
                s.gradNormG = gradNorm(generator.params());
            }
        }
        optG.step(epoch);
        return s;
    }

    /** L2 norm of the gradients of {@code params}, as a whole. */
    static double gradNorm(List<Param> params) {
        double sum = 0;
        for (Param p : params) {
            try (NDArray g = p.array().getGradient(); NDArray g2 = g.square(); NDArray sq = g2.sum()) {
                sum += sq.getFloat();
            }
        }
        return Math.sqrt(sum);
    }

    /** Scalars of one step, read only when statistics are due. */
    private static final class Scalars {
        double lossD = Double.NaN, lossG = Double.NaN, dReal = Double.NaN, dFake = Double.NaN;
        double gradNormG = Double.NaN, gradNormD = Double.NaN;

        void read(NDArray lossD, NDArray lossG, NDArray realLogits, NDArray fakeLogits) {
            this.lossD = lossD.getFloat();
            if (lossG != null) {
                this.lossG = lossG.getFloat();
            }
            this.dReal = realLogits.getNDArrayInternal().sigmoid().mean().getFloat();
            this.dFake = fakeLogits.getNDArrayInternal().sigmoid().mean().getFloat();
        }
    }

    @Override
    public float[] generate(int n) {
        return Sampler.generate(generator, manager, n);
    }

    @Override
    public float[] fixedSamples() {
        return Sampler.fromNoise(generator, manager, fixedNoise);
    }

    // ---- state for checkpoints ----

    @Override
    public RunConfig config() {
        return config;
    }

    @Override
    public ImageSet data() {
        return data;
    }

    public Generator generator() {
        return generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    public Optimizer optimizerG() {
        return optG;
    }

    public Optimizer optimizerD() {
        return optD;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int stepInEpoch() {
        return stepInEpoch;
    }

    @Override
    public StepStats lastStats() {
        return lastStats;
    }

    /** Sets the counters when restoring a checkpoint (the tensors of {@link #state} are set in place). */
    public void setPosition(long step, int epoch, int stepInEpoch, long updatesG, long updatesD) {
        this.step = step;
        this.epoch = epoch;
        this.stepInEpoch = stepInEpoch;
        optG.setUpdates(updatesG);
        optD.setUpdates(updatesD);
    }

    @Override
    public TrainingState state() {
        List<NDArray> all = new ArrayList<>();
        generator.params().stream().map(Param::array).forEach(all::add);
        discriminator.params().stream().map(Param::array).forEach(all::add);
        all.addAll(generator.buffers());
        all.addAll(discriminator.buffers());
        all.addAll(optG.stateArrays());
        all.addAll(optD.stateArrays());
        return new TrainingState(config, data.shape(), step, epoch, stepInEpoch, optG.updates(), optD.updates(), all);
    }

    @Override
    public void close() {
        manager.close();
    }
}
