package dev.gantry.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.losses.Objective;
import dev.gantry.models.Discriminator;
import dev.gantry.models.Generator;
import dev.gantry.models.Inferer;
import dev.gantry.models.Conditioning;
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

    private RunConfig config;   // changes only by restartAverageG (train.g_average, which no step reads)
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
    private final int classes;      // of a conditional GAN; 0 when unconditional
    private final Inferer inferer;  // Q, or null
    private final boolean joint;    // BiGAN: D judges (x, z) pairs and Q is the encoder E
    private final int[] labelledRows;   // semi-supervised: the rows that keep their labels, or null
    private final Optimizer optQ;
    private final boolean hand;         // gradients by the models' hand-written backward passes (train.backward = hand)
    private final NativeStep nativeStep;   // train.backward = native where it applies, else null
    private PhaseTimes phases;          // or null: no clock read
    private final ParamAverage averageD;   // train.d_average: the moving average of D's parameters
    private ParamAverage averageG;         // train.g_average: the moving average of G's parameters
    private Generator averagedG;           // a G that samples with averageG, built on first use

    /**
     * Salimans et al.'s supervised term: the cross-entropy of D's class logits on a minibatch of the
     * labelled images, taken in turn from where D's update count puts them (so a resume takes the
     * same ones).
     */
    private NDArray supervised(NDManager sm, int b) {
        int n = labelledRows.length;
        int dim = data.dim();
        float[] px = new float[b * dim];
        int[] labels = new int[b];
        long start = optD.updates() * b;
        for (int i = 0; i < b; i++) {
            int row = labelledRows[(int) ((start + i) % n)];
            System.arraycopy(data.pixels(), row * dim, px, i * dim, dim);
            labels[i] = data.labels()[row];
        }
        var s = data.shape();
        NDArray x = sm.create(px, new Shape(b, s.channels(), s.height(), s.width()));
        NDArray logits = discriminator.classLogits(x, discriminator.sampleMasks(sm, b), false);   // [B, K]
        NDArray onehot = Conditioning.oneHot(sm, labels, (int) logits.getShape().get(1));
        return logits.logSoftmax(1).mul(onehot).sum().neg().div(b);
    }

    /**
     * Feature matching (Salimans et al. 2016, §3.1): the squared distance between the mean
     * penultimate features of a real minibatch and of G's batch, through D cut from the graph,
     * averaged over the features.
     */
    private NDArray featureMatching(NDManager sm, NDArray real, NDArray fake, int b) {
        NDArray fr = discriminator.features(real, discriminator.sampleMasks(sm, b), true).mean(new int[] {0}).stopGradient();
        NDArray ff = discriminator.features(fake, discriminator.sampleMasks(sm, b), true).mean(new int[] {0});
        return fr.sub(ff).square().mean();
    }

    /** A BiGAN: D judges (x, E(x)) against (G(z), z), and Q is the encoder E, trained with G to fool D. */
    static boolean bigan(RunConfig c) {
        return "bigan".equals(c.loss().name());
    }

    /** How Q is trained: Adam, lr 1e-3, β = (0.9, 0.999), whatever G's optimizer (BiGAN's E too). */
    static final RunConfig.OptimConfig INFERER_OPTIM =
            new RunConfig.OptimConfig("adam", 1e-3, 1, 0, 0.5, 0.5, 0, 1, 0.9, 0.999, 1e-8, 0);
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
            int classes = config.model().conditional() && data.labelled() ? Datasets.of(config).classNames().size() : 0;
            pair = Models.build(manager, config.model(), data.shape(),
                    data.n() > 0 ? PixelMeans.of(data) : PixelMeans.constant(0.5, data.dim()), classes, bigan(config));
            this.objective = new Objective(config.loss(), pair.discriminator());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.generator = pair.generator();
        this.discriminator = pair.discriminator();
        this.classes = generator.classes();
        this.joint = bigan(config);
        if ("semi-supervised".equals(config.loss().name())) {
            int k = data.labelled() ? Datasets.of(config).classNames().size() : 0;
            int n = config.data().labelled();
            if (k == 0 || n % k != 0 || n > data.n()) {
                manager.close();
                throw new dev.gantry.BadInputException("data.labelled = " + n + ": expected a multiple of the " + k
                        + " classes of " + config.data().name() + ", at most its " + data.n() + " training images");
            }
            try {
                this.labelledRows = data.firstPerClass(n, k);
            } catch (IllegalArgumentException e) {
                manager.close();
                throw new dev.gantry.BadInputException("data.labelled = " + n + ": " + e.getMessage());
            }
        } else {
            this.labelledRows = null;
        }
        if (config.model().inferer()) {
            // Q is built last, from its own random stream, and trains on what the step already
            // computed: G's and D's trajectories are the same with and without it.
            Seeds.seedEngine(config.seed(), Seeds.INFER, 0);
            this.inferer = new Inferer(manager, data.shape(), generator.noiseDim(), config.model().qHidden(), config.model().qLayers());
            this.optQ = Optimizer.create(manager, inferer.params(), INFERER_OPTIM);
        } else {
            this.inferer = null;
            this.optQ = null;
        }
        initFromData();
        this.hand = handBackward(config, generator, discriminator, joint, labelledRows != null);
        this.optG = Optimizer.create(manager, generator.params(), config.optim());
        this.optD = Optimizer.create(manager, discriminator.params(), config.optim().forDiscriminator());
        this.nativeStep = nativeStep(config, generator, discriminator, optG, optD, hand);
        this.averageD = new ParamAverage(manager, discriminator.params(), config.train().dAverage());
        this.averageG = new ParamAverage(manager, generator.params(), config.train().gAverage());
        int side = config.train().gridSide();
        Seeds.seedEngine(config.seed(), Seeds.FIXED_NOISE, 0);
        this.fixedNoise = generator.sampleNoise(manager, side * side);
        this.batchBuffer = new float[config.train().batchSize() * data.dim()];
    }

    /** The checkpoint names of the moving averages of D's and G's parameters: this prefix and the parameter's name. */
    public static final String AVERAGE_PREFIX = ParamAverage.PREFIX;

    /** After a D update: avg ← avg + a (p − avg) for each of D's parameters (train.d_average = a). */
    private void updateAverage() {
        averageD.update(manager);
    }

    /** After a G update: the same for G's parameters (train.g_average). */
    private void updateAverageG() {
        averageG.update(manager);
    }

    /** How many training images a data-dependent initialisation sees (Salimans et al. use 500). */
    static final int INIT_ROWS = 500;

    /**
     * D's data-dependent initialisation (a no-op for most models) on the first {@value #INIT_ROWS}
     * training images, drawing its noise from the engine's initialisation stream after the weights.
     */
    private void initFromData() {
        int n = Math.min(INIT_ROWS, data.n());
        if (n == 0) {
            return;
        }
        try (NDManager sm = manager.newSubManager()) {
            var s = data.shape();
            float[] px = java.util.Arrays.copyOf(data.pixels(), n * data.dim());
            discriminator.initFromData(sm, sm.create(px, new Shape(n, s.channels(), s.height(), s.width())));
        }
    }

    /**
     * Whether a step's gradients come from the models' hand-written backward passes: asked for by
     * {@code train.backward = hand}, and possible for the paper-mlp networks (unconditional, no
     * spectral norm) under a loss without gradient penalty, outside BiGAN and semi-supervised
     * training. Otherwise the engine's autograd computes them.
     */
    static boolean handBackward(RunConfig c, Generator g, Discriminator d, boolean joint, boolean semiSupervised) {
        return ("hand".equals(c.train().backward()) || "native".equals(c.train().backward()))
                && g instanceof dev.gantry.models.PaperGenerator pg && pg.handBackward()
                && d instanceof dev.gantry.models.PaperDiscriminator pd && pd.handBackward()
                && c.loss().gpWeight() <= 0 && !joint && !semiSupervised;
    }

    /**
     * The native step ({@code train.backward = native}) where it applies: the hand-written passes
     * apply and {@link NativeStep#supports} (the kernels loaded; SGD with momentum or Adam), for
     * either schedule. Else null, and the step is the hand-written one.
     */
    private static NativeStep nativeStep(RunConfig c, Generator g, Discriminator d, Optimizer optG, Optimizer optD, boolean hand) {
        if (!"native".equals(c.train().backward()) || !hand) {
            return null;
        }
        var pg = (dev.gantry.models.PaperGenerator) g;
        var pd = (dev.gantry.models.PaperDiscriminator) d;
        if (!NativeStep.supports(pg, pd, optG, optD)) {
            return null;
        }
        return new NativeStep(pg, pd, optG, optD, c.train().batchSize(),
                "native".equals(c.train().dropoutDraws()));
    }

    /**
     * How this trainer's steps get their gradients: {@code native} (the fused kernels of
     * {@link NativeStep}), {@code hand} (the hand-written passes through the engine) or
     * {@code autograd}. It can be less than {@code train.backward} asks for, where the networks,
     * the schedule or the machine (no native kernels: {@link dev.gantry.nn.Kernels#unavailableReason()}) do not allow it.
     */
    public String backwardInUse() {
        return nativeStep != null ? "native" : hand ? "hand" : "autograd";
    }

    /** Whether this trainer's steps use the hand-written backward passes ({@link #handBackward}), native or not. */
    public boolean usesHandBackward() {
        return hand;
    }

    /** Times the phases of every following step into {@code times} (null: stop timing). */
    public void timePhases(PhaseTimes times) {
        this.phases = times;
    }

    private void lap(String phase) {
        if (phases != null) {
            phases.lap(phase);
        }
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
        return train(targetEpochs, Long.MAX_VALUE);
    }

    /**
     * As {@link #train(int)}, but also returns {@link Outcome#FINISHED} as soon as {@link #step()}
     * reaches {@code untilStep}, in the middle of an epoch if need be: a run in chunks of steps
     * (the live lab) follows the same trajectory as one call, since every step reseeds from
     * (seed, step) and every epoch's order from (seed, epoch). Listeners see {@code onStart} and
     * {@code onEnd} once per call.
     */
    public Outcome train(int targetEpochs, long untilStep) {
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
                if (step >= untilStep) {
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
     * array; {@code y} is their one-hot [B, K] for a conditional GAN, else null (no engine call
     * is spent on labels an unconditional model does not take).
     */
    record Batch(NDArray images, int[] labels, NDArray y) {}

    /** The labels of minibatch {@code batchIndex} of the epoch's order. */
    private int[] labelsOf(int[] order, int batchIndex) {
        int b = config.train().batchSize();
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = data.labels()[order[batchIndex * b + i]];
        }
        return labels;
    }

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
        NDArray y = classes > 0 ? Conditioning.oneHot(sm, labels, classes) : null;                   // [B, K]
        return new Batch(images, labels, y);
    }

    private StepStats trainStep(int[] order, boolean wantStats) {
        Seeds.seedEngine(config.seed(), Seeds.STEP, step);
        int b = config.train().batchSize();
        double lr = optG.learningRate();
        double momentum = optG.momentum(epoch);
        StepStats stats;
        if (phases != null) {
            phases.start();
        }
        try (NDManager sm = manager.newSubManager()) {
            boolean alternating = "alternating".equals(config.train().schedule());
            Scalars s;
            if (hand) {
                boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
                ai.djl.pytorch.jni.JniUtils.setGradMode(false);      // no graph: the passes are differentiated by hand
                try {
                    s = nativeStep != null
                            ? (alternating ? nativeAlternatingStep(sm, order, b, wantStats) : nativeSimultaneousStep(sm, order, b, wantStats))
                            : alternating ? handAlternatingStep(sm, order, b, wantStats) : handSimultaneousStep(sm, order, b, wantStats);
                } finally {
                    ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
                }
            } else {
                s = alternating ? alternatingStep(sm, order, b, wantStats) : simultaneousStep(sm, order, b, wantStats);
            }
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
        lap("the rest (freeing arrays)");
        return stats;
    }

    /** The authors' update: one minibatch and one noise batch give both D's and G's gradients. */
    private Scalars simultaneousStep(NDManager sm, int[] order, int b, boolean wantStats) {
        Scalars s = new Scalars();
        NDArray z;
        NDArray fakeCut;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Batch real = batch(sm, order, stepInEpoch);
            NDArray x = real.images();                                          // [B, C, H, W]
            NDArray y = real.y();                                               // [B, K] or null: G draws the minibatch's classes
            z = generator.sampleNoise(sm, b);                                   // [B, noiseDim]
            NDArray fake = generator.forward(z, y, false, true);                // [B, C, H, W]
            NDList realMasks = discriminator.sampleMasks(sm, b);
            NDList fakeMasks = discriminator.sampleMasks(sm, b);
            // A BiGAN's D judges pairs: (x, E(x)) real, (G(z), z) fake, where a conditional D takes its label.
            NDArray ex = joint ? inferer.forward(x, false) : null;            // [B, noiseDim], E's graph
            NDArray realCond = joint ? ex.stopGradient() : y;
            NDArray fakeCond = joint ? z : y;
            NDArray realLogits = discriminator.logits(x, realCond, realMasks, false);  // [B]
            // D's objective: G's samples enter cut from G's graph.
            fakeCut = fake.stopGradient();
            NDArray fakeLogitsD = discriminator.logits(fakeCut, fakeCond, fakeMasks, false);
            NDArray lossD = objective.discriminatorLoss(sm, discriminator, realLogits, fakeLogitsD, x, fakeCut, y);
            // G's objective: the same thinned D, its parameters cut from the graph.
            NDArray fakeLogitsG = discriminator.logits(fake, fakeCond, fakeMasks, true);
            NDArray lossG = objective.generatorLoss(fakeLogitsG);
            if (joint) {
                // E's objective: make D call (x, E(x)) fake, through the same frozen D.
                lossG = lossG.add(objective.generatorLoss(discriminator.logits(x, ex, realMasks, true).neg()));
            }
            lap("forward (autograd graph)");
            gc.backward(lossD.add(lossG));
            lap("backward (autograd)");
            if (wantStats) {
                s.read(lossD, lossG, realLogits, fakeLogitsD);
            }
        }
        if (wantStats) {
            s.gradNormG = gradNorm(generator.params());
            s.gradNormD = gradNorm(discriminator.params());
        }
        lap("statistics");
        optD.step(epoch);
        objective.afterDiscriminatorStep(discriminator);
        updateAverage();
        lap("D update");
        optG.step(epoch);
        updateAverageG();
        lap("G update");
        if (joint) {
            optQ.step(epoch);
        } else {
            trainInferer(fakeCut, z);
        }
        return s;
    }

    /** Algorithm 1 of the paper: k discriminator steps, each on a fresh minibatch, then one generator step. */
    private Scalars alternatingStep(NDManager sm, int[] order, int b, boolean wantStats) {
        Scalars s = new Scalars();
        int k = batchesPerStep();
        for (int i = 0; i < k; i++) {
            // Ascend D's value: real minibatch against samples from the frozen generator.
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Batch real = batch(sm, order, stepInEpoch * k + i);
                NDArray x = real.images();
                NDArray y = real.y();                                           // [B, K] or null
                NDArray zd = generator.sampleNoise(sm, b);
                NDArray fake = generator.forward(zd, y, true, true);
                NDArray realCond = joint ? inferer.forward(x, true) : y;       // BiGAN: (x, E(x)) against (G(z), z)
                NDArray realLogits = discriminator.logits(x, realCond, discriminator.sampleMasks(sm, b), false);
                NDArray fakeLogits = discriminator.logits(fake, joint ? zd : y, discriminator.sampleMasks(sm, b), false);
                NDArray lossD = objective.discriminatorLoss(sm, discriminator, realLogits, fakeLogits, x, fake, y);
                if (labelledRows != null) {
                    lossD = lossD.add(supervised(sm, b));
                }
                lap("forward (autograd graph)");
                gc.backward(lossD);
                lap("backward (autograd)");
                if (wantStats && i == k - 1) {
                    s.read(lossD, null, realLogits, fakeLogits);
                    s.gradNormD = gradNorm(discriminator.params());
                }
            }
            lap("statistics");
            optD.step(epoch);
            objective.afterDiscriminatorStep(discriminator);
            updateAverage();
            lap("D update");
        }
        // Descend G's objective through the frozen discriminator, on fresh noise.
        NDArray z;
        NDArray fake;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // A conditional G draws the classes of the step's first minibatch (the data's label distribution).
            NDArray y = classes > 0 ? Conditioning.oneHot(sm, labelsOf(order, stepInEpoch * k), classes) : null;
            z = generator.sampleNoise(sm, b);
            fake = generator.forward(z, y, false, true);
            NDArray fakeLogits = discriminator.logits(fake, joint ? z : y, discriminator.sampleMasks(sm, b), true);
            NDArray lossG = labelledRows != null
                    ? featureMatching(sm, batch(sm, order, stepInEpoch * k).images(), fake, b)
                    : objective.generatorLoss(fakeLogits);
            if (joint) {
                // E's step beside G's: the step's first minibatch, (x, E(x)) made to look fake to the frozen D.
                NDArray x = batch(sm, order, stepInEpoch * k).images();
                NDArray ex = inferer.forward(x, false);
                lossG = lossG.add(objective.generatorLoss(discriminator.logits(x, ex, discriminator.sampleMasks(sm, b), true).neg()));
            }
            lap("forward (autograd graph)");
            gc.backward(lossG);
            lap("backward (autograd)");
            if (wantStats) {
                s.lossG = lossG.getFloat();
                s.gradNormG = gradNorm(generator.params());
            }
        }
        lap("statistics");
        optG.step(epoch);
        updateAverageG();
        lap("G update");
        if (joint) {
            optQ.step(epoch);
        } else {
            trainInferer(fake.stopGradient(), z);
        }
        return s;
    }

    /**
     * The authors' update with hand-written backward passes: the same draws in the same order as
     * {@link #simultaneousStep}, but D scores the real and the fake batch in one pass of 2B rows,
     * and the fake rows' pass serves both D's loss and G's (the authors' code scores a fake batch
     * once too). Only the loss's gradient at the logits comes from autograd, on [B]-sized arrays.
     */
    private Scalars handSimultaneousStep(NDManager sm, int[] order, int b, boolean wantStats) {
        var pg = (dev.gantry.models.PaperGenerator) generator;
        var pd = (dev.gantry.models.PaperDiscriminator) discriminator;
        NDArray x = batch(sm, order, stepInEpoch).images();                           // [B, C, H, W]
        NDArray z = generator.sampleNoise(sm, b);                                       // [B, noiseDim]
        lap("batch and noise");
        var gt = pg.trace(z);
        NDArray fake = gt.output();                                                     // [B, C, H, W]
        lap("G forward");
        NDList masks = joinMasks(discriminator.sampleMasks(sm, b), discriminator.sampleMasks(sm, b));
        lap("dropout masks");
        var dt = pd.trace(x.concat(fake, 0), masks);                                    // 2B rows: real, then fake
        lap("D forward");
        LogitGradients lg = logitGradients(dt.logits().get("0:" + b), dt.logits().get(b + ":" + 2 * b), true, true);
        lap("loss gradients at the logits");
        List<NDArray> gradsD = dt.parameterGradients(lg.real.concat(lg.fake));
        lap("D backward");
        NDArray gx = dt.rows(b, 2L * b).inputGradient(lg.generator);
        lap("D input gradient");
        List<NDArray> gradsG = gt.backward(gx);
        lap("G backward");
        Scalars s = new Scalars();
        if (wantStats) {
            s.readHand(lg);
            s.gradNormG = normOf(gradsG);
            s.gradNormD = normOf(gradsD);
        }
        lap("statistics");
        optD.step(epoch, gradsD);
        objective.afterDiscriminatorStep(discriminator);
        updateAverage();
        lap("D update");
        optG.step(epoch, gradsG);
        updateAverageG();
        lap("G update");
        trainInferer(fake, z);
        lap("Q step");
        return s;
    }

    /**
     * The native step's shared part: G's samples of z, the dropout draws, D over the real batch x and
     * the samples (2B rows), the loss's gradients at the logits (G's too when {@code forG}), and D's
     * backward pass to its parameters.
     */
    private LogitGradients nativeDiscriminatorPass(NDManager sm, NDArray x, NDArray z, int b, boolean forG) {
        nativeStep.generatorForward(z);
        lap("G forward");
        nativeStep.drawMasks(sm);
        lap("dropout masks");
        float[] logits = nativeStep.discriminatorForward(x);
        lap("D forward");
        NDArray realLogits = sm.create(java.util.Arrays.copyOfRange(logits, 0, b));
        NDArray fakeLogits = sm.create(java.util.Arrays.copyOfRange(logits, b, 2 * b));
        LogitGradients lg = logitGradients(realLogits, fakeLogits, true, forG);
        float[] gReal = lg.real.toFloatArray();
        float[] gFake = lg.fake.toFloatArray();
        lap("loss gradients at the logits");
        nativeStep.discriminatorBackward(gReal, gFake);
        lap("D backward");
        return lg;
    }

    /**
     * {@link #handSimultaneousStep} through the native kernels ({@link NativeStep}): the same draws in
     * the same order (or the native ones), the same loss gradients at the logits, SGD's update folded
     * into the products.
     */
    private Scalars nativeSimultaneousStep(NDManager sm, int[] order, int b, boolean wantStats) {
        NDArray x = batch(sm, order, stepInEpoch).images();                           // [B, C, H, W]
        NDArray z = generator.sampleNoise(sm, b);                                       // [B, noiseDim]
        lap("batch and noise");
        LogitGradients lg = nativeDiscriminatorPass(sm, x, z, b, true);
        nativeStep.inputGradient(lg.generator.toFloatArray());
        lap("D input gradient");
        Scalars s = new Scalars();
        if (wantStats) {
            s.readHand(lg);
        }
        lap("statistics");
        s.gradNormD = nativeStep.updateDiscriminator(epoch, wantStats);
        objective.afterDiscriminatorStep(discriminator);
        updateAverage();
        lap("D update");
        s.gradNormG = nativeStep.generatorBackwardAndUpdate(epoch, wantStats);
        lap("G backward and update");
        updateAverageG();
        lap("G update");
        if (inferer != null) {
            trainInferer(nativeStep.samples(sm, x.getShape()), z);      // Q on G's samples of this step, as the hand step
            lap("Q step");
        }
        return s;
    }

    /**
     * Algorithm 1 through the native kernels: the draws and the order of {@link #handAlternatingStep}
     * (k D steps, each on its own batch and noise, real and fake in one pass; then G's step on fresh
     * noise through D held fixed).
     */
    private Scalars nativeAlternatingStep(NDManager sm, int[] order, int b, boolean wantStats) {
        Scalars s = new Scalars();
        int k = batchesPerStep();
        ai.djl.ndarray.types.Shape images = null;                                       // [B, C, H, W]
        for (int i = 0; i < k; i++) {
            NDArray x = batch(sm, order, stepInEpoch * k + i).images();
            images = x.getShape();
            NDArray zd = generator.sampleNoise(sm, b);
            lap("batch and noise");
            LogitGradients lg = nativeDiscriminatorPass(sm, x, zd, b, false);
            boolean last = wantStats && i == k - 1;
            if (last) {
                s.readHand(lg);
            }
            lap("statistics");
            double norm = nativeStep.updateDiscriminator(epoch, last);
            if (last) {
                s.gradNormD = norm;
            }
            objective.afterDiscriminatorStep(discriminator);
            updateAverage();
            lap("D update");
        }
        NDArray z = generator.sampleNoise(sm, b);
        lap("batch and noise");
        nativeStep.generatorForward(z);
        lap("G forward");
        nativeStep.drawFakeMasks(sm);
        lap("dropout masks");
        NDArray fakeLogits = sm.create(nativeStep.discriminatorForwardFake());
        lap("D forward");
        LogitGradients lg = logitGradients(null, fakeLogits, false, true);
        float[] gGen = lg.generator.toFloatArray();
        lap("loss gradients at the logits");
        nativeStep.inputGradient(gGen);
        lap("D input gradient");
        if (wantStats) {
            s.lossG = lg.lossG;
        }
        lap("statistics");
        double norm = nativeStep.generatorBackwardAndUpdate(epoch, wantStats);
        if (wantStats) {
            s.gradNormG = norm;
        }
        lap("G backward and update");
        updateAverageG();
        lap("G update");
        if (inferer != null) {
            trainInferer(nativeStep.samples(sm, images), z);
            lap("Q step");
        }
        return s;
    }

    /** Algorithm 1 with hand-written backward passes: the draws of {@link #alternatingStep}, D's real and fake batch in one pass. */
    private Scalars handAlternatingStep(NDManager sm, int[] order, int b, boolean wantStats) {
        var pg = (dev.gantry.models.PaperGenerator) generator;
        var pd = (dev.gantry.models.PaperDiscriminator) discriminator;
        Scalars s = new Scalars();
        int k = batchesPerStep();
        for (int i = 0; i < k; i++) {
            NDArray x = batch(sm, order, stepInEpoch * k + i).images();
            NDArray zd = generator.sampleNoise(sm, b);
            lap("batch and noise");
            NDArray fake = pg.trace(zd).output();                                     // G's training pass, not differentiated
            lap("G forward");
            NDList masks = joinMasks(discriminator.sampleMasks(sm, b), discriminator.sampleMasks(sm, b));
            lap("dropout masks");
            var dt = pd.trace(x.concat(fake, 0), masks);
            lap("D forward");
            LogitGradients lg = logitGradients(dt.logits().get("0:" + b), dt.logits().get(b + ":" + 2 * b), true, false);
            lap("loss gradients at the logits");
            List<NDArray> gradsD = dt.parameterGradients(lg.real.concat(lg.fake));
            lap("D backward");
            if (wantStats && i == k - 1) {
                s.readHand(lg);
                s.gradNormD = normOf(gradsD);
            }
            lap("statistics");
            optD.step(epoch, gradsD);
            objective.afterDiscriminatorStep(discriminator);
            updateAverage();
            lap("D update");
        }
        NDArray z = generator.sampleNoise(sm, b);
        lap("batch and noise");
        var gt = pg.trace(z);
        NDArray fake = gt.output();
        lap("G forward");
        NDList masks = discriminator.sampleMasks(sm, b);
        lap("dropout masks");
        var dt = pd.trace(fake, masks);
        lap("D forward");
        LogitGradients lg = logitGradients(null, dt.logits(), false, true);
        lap("loss gradients at the logits");
        NDArray gx = dt.inputGradient(lg.generator);
        lap("D input gradient");
        List<NDArray> gradsG = gt.backward(gx);
        lap("G backward");
        if (wantStats) {
            s.lossG = lg.lossG;
            s.gradNormG = normOf(gradsG);
        }
        lap("statistics");
        optG.step(epoch, gradsG);
        updateAverageG();
        lap("G update");
        trainInferer(fake, z);
        lap("Q step");
        return s;
    }

    /** Masks of a real and a fake batch as the masks of one pass over both (rows stacked). */
    private static NDList joinMasks(NDList real, NDList fake) {
        NDList both = new NDList();
        for (int i = 0; i < real.size(); i++) {
            NDArray r = real.get(i);
            both.add(r == null ? null : r.concat(fake.get(i), 0));
        }
        return both;
    }

    /** The losses' gradients at the logits, and their values. */
    record LogitGradients(NDArray real, NDArray fake, NDArray generator, double lossD, double lossG,
                          NDArray realLogits, NDArray fakeLogits) {}

    /**
     * The gradients of D's loss at the real and fake logits [B] and of G's loss at the fake logits,
     * from the loss family's own expressions, differentiated by autograd on these leaves only.
     */
    private LogitGradients logitGradients(NDArray realLogits, NDArray fakeLogits, boolean forD, boolean forG) {
        NDArray r = forD ? leaf(realLogits) : null;
        NDArray f = forD ? leaf(fakeLogits) : null;
        NDArray fg = forG ? leaf(fakeLogits) : null;
        NDArray lossD;
        NDArray lossG;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            lossD = forD ? objective.discriminatorMain(r, f) : null;
            lossG = forG ? objective.generatorLoss(fg) : null;
            gc.backward(forD && forG ? lossD.add(lossG) : forD ? lossD : lossG);
        }
        return new LogitGradients(forD ? r.getGradient() : null, forD ? f.getGradient() : null, forG ? fg.getGradient() : null,
                forD ? lossD.getFloat() : Double.NaN, forG ? lossG.getFloat() : Double.NaN, realLogits, fakeLogits);
    }

    private static NDArray leaf(NDArray logits) {
        NDArray copy = logits.duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    /**
     * One step of Q on G's batch of this step (cut from G's graph) and the z that made it; no
     * random draw, so G's and D's trajectories do not depend on whether Q is trained.
     */
    private void trainInferer(NDArray x, NDArray z) {
        if (inferer == null) {
            return;
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(inferer.loss(x, z));
        }
        optQ.step(epoch);
    }

    /** Q, or null when the config trains none. */
    public Inferer inferer() {
        return inferer;
    }

    /** L2 norm of gradients computed by hand, as a whole. */
    static double normOf(List<NDArray> grads) {
        double sum = 0;
        for (NDArray g : grads) {
            sum += g.square().sum().getFloat();
        }
        return Math.sqrt(sum);
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
    static final class Scalars {
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

        void readHand(LogitGradients lg) {
            this.lossD = lg.lossD();
            this.lossG = lg.lossG();
            this.dReal = lg.realLogits().getNDArrayInternal().sigmoid().mean().getFloat();
            this.dFake = lg.fakeLogits().getNDArrayInternal().sigmoid().mean().getFloat();
        }
    }

    @Override
    public float[] generate(int n) {
        return Sampler.generate(generator, manager, n);
    }

    /** Whether this run keeps a moving average of G's parameters (train.g_average > 0). */
    @Override
    public boolean keepsAveragedGenerator() {
        return averageG.kept();
    }

    /**
     * n samples of G with the moving average of its parameters in place of their last values
     * (its buffers, batch norm's running statistics, are the live G's), from the engine's current
     * random stream as {@link #generate}.
     *
     * @throws IllegalStateException without train.g_average, or before G's first update
     */
    @Override
    public float[] generateAveraged(int n) {
        return Sampler.generate(averagedGenerator(), manager, n);
    }

    /** The fixed-noise grid's samples from the averaged G ({@link #generateAveraged}). */
    @Override
    public float[] fixedSamplesAveraged() {
        return Sampler.fromNoise(averagedGenerator(), manager, fixedNoise, classes == 0 ? null : gridLabels(config.train().gridSide(), classes));
    }

    /** G with the bias-corrected average of its parameters after G's updates so far. */
    public Generator averagedGenerator() {
        if (!averageG.kept()) {
            throw new IllegalStateException("this run keeps no average of G's parameters (train.g_average = 0)");
        }
        if (averageG.updates() <= 0) {
            throw new IllegalStateException("G's average holds no update yet: it is undefined");
        }
        if (averagedG == null) {
            // Built from the engine's stream after everything else, and every step reseeds it: no draw of the trajectory moves.
            averagedG = Models.generator(manager, config.model(), data.shape(), classes);
        }
        averageG.copyInto(averagedG.params());
        List<NDArray> live = generator.buffers();
        List<NDArray> copy = averagedG.buffers();
        for (int i = 0; i < live.size(); i++) {
            dev.gantry.nn.Tensors.setValues(copy.get(i), live.get(i).toFloatArray());
        }
        return averagedG;
    }

    /** The grid's samples; a conditional G's grid has one class per row (row r: class r mod K). */
    @Override
    public float[] fixedSamples() {
        return Sampler.fromNoise(generator, manager, fixedNoise, classes == 0 ? null : gridLabels(config.train().gridSide(), classes));
    }

    /** Row r of a side×side grid drawn as class r mod K. */
    public static int[] gridLabels(int side, int classes) {
        int[] labels = new int[side * side];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i / side) % classes;
        }
        return labels;
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
        if (optQ != null) {
            optQ.setUpdates(updatesG);   // Q steps once with every G step
        }
        averageD.setUpdates(averageD.kept() ? updatesD : 0);
        averageG.setUpdates(averageG.kept() ? updatesG : 0);
    }

    /**
     * Sets how many of G's updates its moving average holds, when a checkpoint says so (a run whose
     * average a resume restarted holds fewer than G's updates); call after {@link #setPosition}.
     *
     * @param updates how many of G's updates the average holds, at most G's
     */
    public void setAverageUpdatesG(long updates) {
        if (updates < 0 || updates > optG.updates()) {
            throw new IllegalArgumentException("G's average cannot hold " + updates + " of G's " + optG.updates() + " updates");
        }
        averageG.setUpdates(averageG.kept() ? updates : 0);
    }

    /**
     * Starts G's moving average again, from nothing, with another rate ({@code rate} = 0: keeps
     * none from now on); the next G update is its first. No draw and no step depends on the
     * average, so the trajectory goes on unchanged; only the config's {@code train.g_average}
     * changes. For {@code gantry resume --set train.g_average=...}, to try another rate on a
     * long run without training it again.
     *
     * @param rate the new train.g_average, in [0, 1)
     */
    public void restartAverageG(double rate) {
        RunConfig next = dev.gantry.config.ConfigLoader.with(config, "train.g_average=" + rate);
        for (NDArray a : averageG.arrays()) {
            a.close();
        }
        this.averageG = new ParamAverage(manager, generator.params(), rate);
        this.config = next;
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
        if (inferer != null) {
            inferer.params().stream().map(Param::array).forEach(all::add);
            all.addAll(optQ.stateArrays());
        }
        all.addAll(averageD.arrays());
        all.addAll(averageG.arrays());
        return new TrainingState(config, data.shape(), step, epoch, stepInEpoch, optG.updates(), optD.updates(), averageG.updates(), all);
    }

    @Override
    public void close() {
        manager.close();
    }
}
