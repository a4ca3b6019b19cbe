package dev.gantry.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.eval.Calibration;
import dev.gantry.eval.ClassHistogram;
import dev.gantry.eval.ClassifierScore;
import dev.gantry.eval.DensityCoverage;
import dev.gantry.eval.FrechetDistance;
import dev.gantry.eval.KernelInceptionDistance;
import dev.gantry.eval.PrecisionRecall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network that ships with Gantry, on the real MNIST (fetched into the cache on first use, as
 * the first README command does): its accuracy, its checksum guard, and the calibration rows
 * every metric must rank as they must.
 */
class ShippedClassifierTest {

    static Dataset mnist = Datasets.named("mnist");
    static Dataset.Request request = new Dataset.Request(null, 50_000, 0, System.err);
    static FeatureNet net;
    static ImageSet test;

    @BeforeAll
    static void load() {
        net = FeatureNet.load("mnist", null);
        test = mnist.load(Split.TEST, request);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void itsTestAccuracyIsTheOneItShipsWith() {
        float[] p = net.probabilities(test.pixels(), test.n());
        int right = 0;
        for (int i = 0; i < test.n(); i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) if (p[i * 10 + c] > p[i * 10 + best]) best = c;
            if (best == test.label(i)) right++;
        }
        double accuracy = right / (double) test.n();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.992);
        assertThat(accuracy).isEqualTo(net.meta().path("test_accuracy").asDouble());
        assertThat(net.sha256()).isEqualTo(FeatureNet.SHIPPED.get("mnist"));
    }

    @Test
    void theFashionNetworkReachesItsAccuracyOnTheRealTestSet() {
        Dataset fashion = Datasets.named("fashion-mnist");
        ImageSet t = fashion.load(Split.TEST, request);
        try (FeatureNet f = FeatureNet.load("fashion-mnist", null)) {
            float[] p = f.probabilities(t.pixels(), t.n());
            int right = 0;
            for (int i = 0; i < t.n(); i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) if (p[i * 10 + c] > p[i * 10 + best]) best = c;
                if (best == t.label(i)) right++;
            }
            double accuracy = right / (double) t.n();
            assertThat(accuracy).isGreaterThanOrEqualTo(0.91);
            assertThat(accuracy).isEqualTo(f.meta().path("test_accuracy").asDouble());
        }
    }

    @Test
    void aShippedFileWithAnotherChecksumIsRefusedButMayBeNamedOnPurpose(@TempDir Path dir) throws Exception {
        byte[] bytes = FeatureNet.shippedBytes("mnist");
        bytes[bytes.length / 2] ^= 1;
        byte[] damaged = bytes;
        assertThatThrownBy(() -> FeatureNet.verifyShipped(damaged, "mnist", FeatureNet.SHIPPED.get("mnist")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("SHA-256").hasMessageContaining("--classifier");
        Path copy = dir.resolve("mine.zip");
        Files.write(copy, FeatureNet.shippedBytes("mnist"));
        try (FeatureNet mine = FeatureNet.load("mnist", copy)) {
            assertThat(mine.sha256()).isEqualTo(net.sha256());
            assertThat(mine.source()).isEqualTo(copy.toString());
        }
    }

    /** The calibration rows at 2,000 images a row (the docs' table uses 10,000). */
    @Test
    void calibrationRowsRankAsTheyMust() {
        int n = 2000;
        ImageSet train = mnist.load(Split.TRAIN, request);
        Map<String, float[]> sets = Calibration.sets(train, test, n, 7);
        float[] refFeatures = net.features(test.slice(n, 2 * n).pixels(), n);   // test images the blurred row does not hold
        float[] refPooled = net.features(test.slice(n, 2 * n).pixels(), n, FeatureSpace.POOLED);
        int f = LeNet.FEATURES;
        int fp = LeNet.POOLED_FEATURES;
        Map<String, double[]> m = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (var e : sets.entrySet()) {
                float[] feats = net.features(e.getValue(), n);
                float[] pooled = net.features(e.getValue(), n, FeatureSpace.POOLED);
                float[] probs = net.probabilities(e.getValue(), n);
                ClassHistogram.Result h = ClassHistogram.compute(probs, n, 10);
                PrecisionRecall.Result pr = PrecisionRecall.compute(manager, refPooled, n, pooled, n, fp);
                DensityCoverage.Result dc = DensityCoverage.compute(manager, refPooled, n, pooled, n, fp);
                m.put(e.getKey(), new double[] {
                        FrechetDistance.compute(refFeatures, n, feats, n, f).distance(),
                        KernelInceptionDistance.compute(manager, refFeatures, n, feats, n, f, 20, 500, 0).mean(),
                        h.classesCovered(), ClassifierScore.compute(probs, n, 10).mean(), pr.recall(), dc.coverage(),
                        pr.precision(), dc.density()});
            }
        }
        double[] real = m.get("real");
        assertThat(real[2]).isEqualTo(10);
        for (String failure : java.util.List.of("uniform-noise", "blurred-test", "classes-0-4", "one-image")) {
            double[] bad = m.get(failure);
            assertThat(bad[0]).as("FID of %s above real", failure).isGreaterThan(real[0]);
            assertThat(bad[1]).as("KID of %s above real", failure).isGreaterThan(real[1]);
            assertThat(bad[4]).as("recall of %s below real", failure).isLessThan(real[4]);
            assertThat(bad[5]).as("coverage of %s below real", failure).isLessThan(real[5]);
        }
        // Precision and density judge fidelity: noise and blur are not realistic digits (in the
        // penultimate layer both passed for real); half the classes and one real image are.
        for (String unrealistic : java.util.List.of("uniform-noise", "blurred-test")) {
            double[] bad = m.get(unrealistic);
            assertThat(bad[6]).as("precision of %s below real", unrealistic).isLessThan(real[6] / 2);
            assertThat(bad[7]).as("density of %s below real", unrealistic).isLessThan(real[7] / 2);
        }
        assertThat(m.get("classes-0-4")[6]).isCloseTo(real[6], org.assertj.core.api.Assertions.within(0.1));
        // The class meters see the missing classes and the collapse.
        assertThat(m.get("classes-0-4")[2]).isEqualTo(5);
        assertThat(m.get("one-image")[2]).isEqualTo(1);
        assertThat(m.get("one-image")[3]).isLessThan(m.get("classes-0-4")[3]);
        assertThat(m.get("classes-0-4")[3]).isLessThan(real[3]);
    }
}
