package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Full-size timing of the feature metrics: 10,000 real and 10,000 fake features, f = 128. Off by
 * default; run with {@code -Dgantry.bench=true -Dtest=GanMetricsBenchmark} (surefire pins torch to
 * one thread).
 */
class GanMetricsBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "gantry.bench", matches = "true")
    void fullSize() {
        int n = 10_000, f = 128;
        Random rng = new Random(2019);
        float[] real = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, n, f, 1.05, 0.02);
        try (NDManager manager = NDManager.newBaseManager()) {
            PrecisionRecall.compute(manager, java.util.Arrays.copyOf(real, 500 * f), 500,
                    java.util.Arrays.copyOf(fake, 500 * f), 500, f); // warm the engine up
            long t0 = System.nanoTime();
            PrecisionRecall.Result pr = PrecisionRecall.compute(manager, real, n, fake, n, f);
            long t1 = System.nanoTime();
            DensityCoverage.Result dc = DensityCoverage.compute(manager, real, n, fake, n, f);
            long t2 = System.nanoTime();
            FrechetDistance.Result fd = FrechetDistance.compute(real, n, fake, n, f);
            long t3 = System.nanoTime();
            KernelInceptionDistance.Result kid = KernelInceptionDistance.compute(manager, real, n, fake, n, f);
            long t4 = System.nanoTime();
            System.out.printf("n=%d f=%d, %d cores, torch threads %s:%n"
                            + "  precision/recall %.2f s %s%n  density/coverage %.2f s %s%n"
                            + "  Fréchet %.2f s %s%n  KID (100 × 1000) %.2f s %s%n",
                    n, f, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    (t1 - t0) / 1e9, pr, (t2 - t1) / 1e9, dc, (t3 - t2) / 1e9, fd, (t4 - t3) / 1e9, kid);
            assertThat(pr.precision()).isBetween(0.0, 1.0);
        }
    }
}
