package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelInceptionDistanceTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void wholeSetsGiveTheDirectUnbiasedMmd() {
        Random rng = new Random(11);
        int n = 60, f = 5;
        float[] real = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, n, f, 1.2, 0.3);
        double expected = directMmd(fake, real, n, f);
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(manager, real, n, fake, n, f, 3, n, 7);
        assertThat(r.subsetSize()).isEqualTo(n);
        assertThat(r.subsets()).isEqualTo(3);
        assertThat(r.mean()).isCloseTo(expected, within(1e-5 * Math.abs(expected) + 1e-7));
        assertThat(r.std()).isLessThan(1e-6); // every subset is the whole set, permuted
        assertThat(expected).isPositive();
    }

    @Test
    void identicalSetsAverageToTheExpectationOfTheEstimator() {
        // Subsets of one finite set: E[MMD²ᵤ] = 2[(S − D)/(n(n − 1)) − S/n²] with S the sum of all
        // kernel values and D that of the diagonal; close to 0 and here slightly negative.
        Random rng = new Random(12);
        int n = 200, f = 8, m = 50, subsets = 100;
        float[] x = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        double all = 0, diag = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double k = kernel(x, i, x, j, f);
                all += k;
                if (i == j) {
                    diag += k;
                }
            }
        }
        double expected = 2 * ((all - diag) / ((double) n * (n - 1)) - all / ((double) n * n));
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(manager, x, n, x, n, f, subsets, m, 1);
        double standardError = r.std() / Math.sqrt(subsets);
        assertThat(r.subsetSize()).isEqualTo(m);
        assertThat(r.mean()).isCloseTo(expected, within(4 * standardError));
        assertThat(expected).isNegative(); // k(x, x) exceeds the typical k(x, y): the within-set pairs are rarer

        float[] shifted = x.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1f;
        }
        KernelInceptionDistance.Result s = KernelInceptionDistance.compute(manager, x, n, shifted, n, f, subsets, m, 1);
        assertThat(s.mean()).isGreaterThan(10 * s.std() / Math.sqrt(subsets)).isGreaterThan(20 * Math.abs(r.mean()));
    }

    @Test
    void twoSamplesOfOneDistributionScoreAboutZero() {
        Random rng = new Random(14);
        int n = 1000, f = 8, subsets = 50;
        float[] real = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(manager, real, n, fake, n, f, subsets, 100, 2);
        assertThat(Math.abs(r.mean())).isLessThan(4 * r.std() / Math.sqrt(subsets) + 0.01);
        assertThat(r.std()).isPositive();
    }

    @Test
    void theSeedFixesTheSubsetsAndTheSizeIsTheSmallestOfThree() {
        Random rng = new Random(13);
        int f = 4;
        float[] real = GanMetricsTestData.gaussian(rng, 40, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, 30, f, 1, 0.5);
        KernelInceptionDistance.Result a = KernelInceptionDistance.compute(manager, real, 40, fake, 30, f, 5, 1000, 3);
        KernelInceptionDistance.Result b = KernelInceptionDistance.compute(manager, real, 40, fake, 30, f, 5, 1000, 3);
        KernelInceptionDistance.Result c = KernelInceptionDistance.compute(manager, real, 40, fake, 30, f, 5, 20, 3);
        assertThat(a).isEqualTo(b);
        assertThat(a.subsetSize()).isEqualTo(30);
        assertThat(c.subsetSize()).isEqualTo(20);
        assertThat(a.std()).isPositive(); // real subsets of 30 out of 40 differ
        assertThat(KernelInceptionDistance.compute(manager, real, 40, fake, 30, f).subsets())
                .isEqualTo(KernelInceptionDistance.DEFAULT_SUBSETS);
    }

    @Test
    void badInputsAreNamed() {
        float[] x = new float[12];
        assertThatThrownBy(() -> KernelInceptionDistance.compute(manager, x, 4, new float[8], 3, 3))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features hold 8 values");
        assertThatThrownBy(() -> KernelInceptionDistance.compute(manager, new float[3], 1, x, 4, 3))
                .isInstanceOf(BadInputException.class).hasMessageContaining("real features").hasMessageContaining("at least 2");
        float[] inf = x.clone();
        inf[0] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> KernelInceptionDistance.compute(manager, inf, 4, x, 4, 3))
                .isInstanceOf(BadInputException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> KernelInceptionDistance.compute(manager, x, 4, x, 4, 3, 0, 10, 0))
                .isInstanceOf(BadInputException.class).hasMessageContaining("KID subsets");
        assertThatThrownBy(() -> KernelInceptionDistance.compute(manager, x, 4, x, 4, 3, 1, 1, 0))
                .isInstanceOf(BadInputException.class).hasMessageContaining("KID subset size");
    }

    static double kernel(float[] a, int i, float[] b, int j, int f) {
        double dot = 0;
        for (int t = 0; t < f; t++) {
            dot += (double) a[i * f + t] * b[j * f + t];
        }
        double base = dot / f + 1;
        return base * base * base;
    }

    /** Unbiased MMD² of the whole sets, in double. */
    static double directMmd(float[] x, float[] y, int n, int f) {
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    xx += kernel(x, i, x, j, f);
                    yy += kernel(y, i, y, j, f);
                }
                xy += kernel(x, i, y, j, f);
            }
        }
        return (xx + yy) / ((double) n * (n - 1)) - 2 * xy / ((double) n * n);
    }
}
