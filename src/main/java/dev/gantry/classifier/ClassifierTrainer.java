package dev.gantry.classifier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Dataset;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.nn.Param;
import dev.gantry.optim.Adam;
import dev.gantry.util.Seeds;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Trains a {@link LeNet} on a labelled dataset's training split, deterministically for a given
 * seed and thread count: the data order of every epoch and each step's dropout derive from the
 * seed ({@link Seeds}); Adam (lr 1e-3, β 0.9/0.999), softmax cross-entropy from logits, batch
 * 128. After every epoch the validation accuracy is measured; the epoch with the best one is
 * kept (the first on ties), and only then is the test split scored, once.
 */
public final class ClassifierTrainer {

    /** What to train with. */
    public record Options(int epochs, int batchSize, double lr, long seed) {
        public static Options defaults(String dataset) {
            return new Options(dataset.equals("fashion-mnist") ? 15 : 8, 128, 1e-3, 1234);
        }
    }

    /** The trained network's figures. */
    public record Result(int bestEpoch, double validAccuracy, double testAccuracy, List<Double> validByEpoch, double seconds) {}

    private ClassifierTrainer() {}

    /**
     * @param onBatch told the number of batches done so far (for a progress bar), may be null
     */
    public static Result train(LeNet net, NDManager manager, Dataset dataset, Dataset.Request request, Options o,
                               PrintStream log, IntConsumer onBatch) {
        return train(net, manager, dataset.load(Split.TRAIN, request), dataset.load(Split.VALID, request),
                () -> dataset.load(Split.TEST, request), o, log, onBatch);
    }

    /** As above on given splits; {@code test} is loaded only once the network is chosen. */
    public static Result train(LeNet net, NDManager manager, ImageSet train, ImageSet valid, java.util.function.Supplier<ImageSet> test,
                               Options o, PrintStream log, IntConsumer onBatch) {
        long start = System.nanoTime();
        RunConfig.OptimConfig adam = new RunConfig.OptimConfig("adam", o.lr(), 1, 0, 0.5, 0.7, 1, 250, 0.9, 0.999, 1e-8, 0);
        Adam opt = new Adam(manager, net.params(), adam);
        int steps = train.n() / o.batchSize();
        int d = train.dim();
        var s = train.shape();
        float[] buf = new float[o.batchSize() * d];
        int[] lab = new int[o.batchSize()];
        List<Double> validAcc = new ArrayList<>();
        List<float[]> best = null;
        int bestEpoch = 0;
        int done = 0;
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            int[] order = permutation(train.n(), Seeds.derive(o.seed(), Seeds.SHUFFLE, epoch));
            for (int step = 0; step < steps; step++) {
                Seeds.seedEngine(o.seed(), Seeds.STEP, (long) epoch * steps + step);
                for (int i = 0; i < o.batchSize(); i++) {
                    int j = order[step * o.batchSize() + i];
                    System.arraycopy(train.pixels(), j * d, buf, i * d, d);
                    lab[i] = train.labels()[j];
                }
                try (NDManager sm = manager.newSubManager()) {
                    NDArray x = sm.create(buf.clone(), new Shape(o.batchSize(), s.channels(), s.height(), s.width()));
                    NDArray y = sm.create(lab.clone(), new Shape(o.batchSize()));
                    NDArray mask = sm.randomUniform(0f, 1f, new Shape(o.batchSize(), LeNet.FEATURES)).gte(0.5f)
                            .toType(DataType.FLOAT32, false).mul(2f);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.logits(x, mask);                                        // [B, K]
                        NDArray nll = logits.logSoftmax(1).mul(y.oneHot(net.classes())).sum(new int[] {1}).neg().mean();
                        gc.backward(nll);
                    }
                    opt.step(epoch);
                }
                if (onBatch != null) {
                    onBatch.accept(++done);
                }
            }
            double acc = accuracy(net, manager, valid);
            validAcc.add(acc);
            log.printf("classifier epoch %d: validation accuracy %.4f%n", epoch + 1, acc);
            if (best == null || acc > validAcc.get(bestEpoch - 1)) {
                best = snapshot(net);
                bestEpoch = epoch + 1;
            }
        }
        restore(net, best);
        double testAcc = accuracy(net, manager, test.get());
        return new Result(bestEpoch, validAcc.get(bestEpoch - 1), testAcc, validAcc, (System.nanoTime() - start) / 1e9);
    }

    /** Fraction of {@code images} whose argmax class is their label. */
    public static double accuracy(LeNet net, NDManager manager, ImageSet images) {
        int[] pred = FeatureNet.predict(net, manager, images.pixels(), images.n());
        int right = 0;
        for (int i = 0; i < images.n(); i++) {
            if (pred[i] == images.labels()[i]) {
                right++;
            }
        }
        return (double) right / images.n();
    }

    private static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static List<float[]> snapshot(LeNet net) {
        List<float[]> all = new ArrayList<>();
        for (Param p : net.params()) {
            all.add(p.array().toFloatArray());
        }
        return all;
    }

    private static void restore(LeNet net, List<float[]> values) {
        List<Param> params = net.params();
        for (int i = 0; i < params.size(); i++) {
            dev.gantry.nn.Tensors.setValues(params.get(i).array(), values.get(i));
        }
    }
}
