package dev.gantry.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.eval.LinearProbe;
import dev.gantry.models.Discriminator;
import dev.gantry.models.Models;
import dev.gantry.models.PixelMeans;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry probe}: what the trained discriminator's features know about the classes when
 * labels are few (the paper's §7: "features from the discriminator … could improve performance of
 * classifiers when limited labeled data is available"). A linear probe ({@link LinearProbe}) is
 * fitted on N labelled training images, balanced per class (the first N/K of each class in
 * train[0:train_size]), and scored once on the 10,000 test images — on the trained D's penultimate
 * features, on the raw pixels, and on the same D at its initial weights (the run's seed), so that
 * what training added shows as the difference.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Linear probe of a trained D's features with N labels per run (balanced per class), beside raw pixels and"
                + " the untrained D; test error on the 10,000 test images. Appends one record per N to RUN_DIR/metrics.jsonl."})
public final class ProbeCommand implements Callable<Integer> {

    /** Unlabelled images whose features set the standardisation: train[0:10000]. */
    static final int UNLABELLED = 10_000;

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--labels", paramLabel = "N[,N...]", split = ",", required = true,
            description = "labelled training images for the probe, a multiple of the class count (e.g. 100,600,1000)")
    int[] labels;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.open(runDir);
        Path ckpt = checkpoint.resolve(run);
        RunConfig config = Checkpoint.config(ckpt);
        if (config.model().conditional()) {
            throw new BadInputException(runDir + " is a conditional run: its D's features depend on the label it is asked about;"
                    + " probe an unconditional run");
        }
        if ("bigan".equals(config.loss().name())) {
            throw new BadInputException(runDir + " is a BiGAN: its D judges (x, z) pairs, so it has no features of x alone to probe");
        }
        int k = Datasets.of(config).classNames().size();
        if (k == 0) {
            throw new BadInputException(config.data().name() + " has no class labels to probe for");
        }
        ImageSet train = Datasets.load(config, Split.TRAIN, System.err);
        ImageSet test = Datasets.load(config, Split.TEST, System.err);
        int[] perClass = new int[k];
        for (int i = 0; i < train.n(); i++) perClass[train.label(i)]++;
        int fewest = Arrays.stream(perClass).min().orElse(0);
        for (int n : labels) {
            if (n <= 0 || n % k != 0) {
                throw new BadInputException("--labels " + n + ": expected a positive multiple of the " + k + " classes (balanced per class)");
            }
            if (n / k < LinearProbe.FOLDS) {
                throw new BadInputException("--labels " + n + ": at least " + LinearProbe.FOLDS * k + " (" + LinearProbe.FOLDS
                        + " per class, for the cross-validation that chooses the probe's penalty)");
            }
            if (n / k > fewest) {
                throw new BadInputException("--labels " + n + ": " + n / k + " per class, but the training set holds only " + fewest
                        + " of its rarest class (" + train.n() + " images)");
            }
        }
        int unlabelled = Math.min(UNLABELLED, train.n());
        try (NDManager manager = NDManager.newBaseManager()) {
            Discriminator trained = Checkpoint.discriminator(ckpt, manager);
            Seeds.seedEngine(config.seed(), Seeds.INIT, 0);   // the run's initial weights: G is drawn first, then D
            Discriminator untrained = Models.build(manager, config.model(), train.shape(),
                    PixelMeans.constant(0.5, train.dim()), 0).discriminator();
            String[] names = {"d_trained", "raw_pixels", "d_untrained"};
            float[][] trainFeatures = new float[3][];
            float[][] testFeatures = new float[3][];
            int[] widths = new int[3];
            for (int r = 0; r < 3; r++) {
                Discriminator d = r == 0 ? trained : r == 2 ? untrained : null;
                trainFeatures[r] = d == null ? train.pixels() : features(d, manager, train);
                testFeatures[r] = d == null ? test.pixels() : features(d, manager, test);
                widths[r] = trainFeatures[r].length / train.n();
            }
            // A semi-supervised D (Salimans et al.) is itself a classifier: its own test error, without noise.
            double classifierError = Double.NaN;
            if ("semi-supervised".equals(config.loss().name())) {
                classifierError = classifierError(trained, manager, test);
                (json.json ? System.err : System.out).printf(java.util.Locale.ROOT,   // --json keeps stdout to JSON lines
                        "D's own classifier (trained with %d labels): test error %.2f %% (%d of %d)%n",
                        config.data().labelled(), 100 * classifierError, Math.round(classifierError * test.n()), test.n());
            }
            // With train.d_average, also with the moving average of D's parameters (how Salimans et al. test theirs).
            double averagedError = Double.NaN;
            if ("semi-supervised".equals(config.loss().name()) && config.train().dAverage() > 0) {
                averagedError = classifierError(Checkpoint.averagedDiscriminator(ckpt, manager), manager, test);
                (json.json ? System.err : System.out).printf(java.util.Locale.ROOT,
                        "D's own classifier, moving average of its parameters (rate %s): test error %.2f %% (%d of %d)%n",
                        config.train().dAverage(), 100 * averagedError, Math.round(averagedError * test.n()), test.n());
            }
            for (int n : labels) {
                int[] rows = train.firstPerClass(n, k);
                int[] y = new int[n];
                for (int i = 0; i < n; i++) y[i] = train.label(rows[i]);
                ObjectNode o = ConfigLoader.mapper().createObjectNode();
                o.put("metric", "probe-d");
                o.put("labels", n);
                StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "probe with %5d labels: test error", n));
                for (int r = 0; r < 3; r++) {
                    int f = widths[r];
                    LinearProbe.Fit fit = LinearProbe.fit(manager, select(trainFeatures[r], rows, f), y, n, f, k,
                            Arrays.copyOf(trainFeatures[r], unlabelled * f), unlabelled);
                    double error = fit.error(manager, testFeatures[r], test.labels(), test.n());
                    o.put(names[r] + "_test_error", error);
                    o.put(names[r] + "_features", f);
                    o.put(names[r] + "_lambda", fit.lambda());
                    line.append(String.format(java.util.Locale.ROOT, "  %s %.2f %% (%d features, lambda %.0e)", names[r], 100 * error, f, fit.lambda()));
                }
                o.put("value", o.get("d_trained_test_error").asDouble());
                if (!Double.isNaN(classifierError)) {
                    o.put("d_classifier_test_error", classifierError);
                    o.put("d_classifier_labels", config.data().labelled());
                }
                if (!Double.isNaN(averagedError)) {
                    o.put("d_classifier_averaged_test_error", averagedError);
                    o.put("d_average", config.train().dAverage());
                }
                o.put("test_images", test.n());
                o.put("checkpoint", run.path().relativize(ckpt).toString());
                var meta = Checkpoint.readMeta(ckpt);
                o.put("step", meta.path("step").asLong());
                o.put("epoch", meta.path("epoch").asInt());
                System.out.println(json.json ? new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o) : line.toString());
                run.appendMetric(o);
            }
        }
        return Main.OK;
    }

    private static double classifierError(Discriminator d, NDManager manager, ImageSet images) {
        var s = images.shape();
        int dim = s.dim();
        int wrong = 0;
        for (int start = 0; start < images.n(); start += 1000) {
            int m = Math.min(1000, images.n() - start);
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = sm.create(Arrays.copyOfRange(images.pixels(), start * dim, (start + m) * dim), new Shape(m, s.channels(), s.height(), s.width()));
                long[] predicted = d.classLogits(x, null, true).argMax(1).toLongArray();
                for (int i = 0; i < m; i++) {
                    if (predicted[i] != images.label(start + i)) wrong++;
                }
            }
        }
        return wrong / (double) images.n();
    }

    private static float[] features(Discriminator d, NDManager manager, ImageSet images) {
        var s = images.shape();
        int dim = s.dim();
        float[] out = null;
        int width = 0;
        for (int start = 0; start < images.n(); start += 1000) {
            int m = Math.min(1000, images.n() - start);
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = sm.create(Arrays.copyOfRange(images.pixels(), start * dim, (start + m) * dim), new Shape(m, s.channels(), s.height(), s.width()));
                float[] f = d.features(x).toFloatArray();
                if (out == null) {
                    width = f.length / m;
                    out = new float[images.n() * width];
                }
                System.arraycopy(f, 0, out, start * width, f.length);
            }
        }
        return out;
    }

    private static float[] select(float[] x, int[] rows, int f) {
        float[] out = new float[rows.length * f];
        for (int i = 0; i < rows.length; i++) System.arraycopy(x, rows[i] * f, out, i * f, f);
        return out;
    }
}
