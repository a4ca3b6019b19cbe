package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The linear probe: it separates what is linearly separable, learns nothing from noise, and standardises as it says. */
class LinearProbeTest {

    /** n points of k classes in f dimensions: class c is a Gaussian around c·gap on axis c (or pure noise when gap is 0). */
    static float[] points(int n, int f, int k, double gap, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * f];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int j = 0; j < f; j++) {
                double mean = j == labels[i] ? gap : 0;
                x[i * f + j] = (float) (mean + nextGaussian(rng));
            }
        }
        return x;
    }

    static double nextGaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void separableClassesAreLearnedFromFewLabelsAndNoiseIsNot() {
        int k = 4;
        int f = 6;
        int[] yTrain = new int[40];
        int[] yTest = new int[2000];
        int[] yUnl = new int[1000];
        try (NDManager m = NDManager.newBaseManager()) {
            float[] unl = points(1000, f, k, 5, yUnl, 3);
            LinearProbe.Fit fit = LinearProbe.fit(m, points(40, f, k, 5, yTrain, 1), yTrain, 40, f, k, unl, 1000);
            // Means 5 apart on their own axes, unit noise: the Bayes error is about 1 %.
            assertThat(fit.error(m, points(2000, f, k, 5, yTest, 2), yTest, 2000)).isLessThan(0.03);
            assertThat(LinearProbe.LAMBDAS).contains(fit.lambda());

            LinearProbe.Fit noise = LinearProbe.fit(m, points(40, f, k, 0, yTrain, 4), yTrain, 40, f, k, unl, 1000);
            // Features that carry no class: chance, 3 in 4 wrong.
            assertThat(noise.error(m, points(2000, f, k, 0, yTest, 5), yTest, 2000)).isCloseTo(0.75, within(0.05));
        }
    }

    @Test
    void standardisationUsesTheUnlabelledMeanAndSpread() {
        float[][] s = LinearProbe.standardisation(new float[] {1, 10, 3, 10}, 2, 2);
        assertThat(s[0]).containsExactly(2f, 10f);
        assertThat(s[1][0]).isEqualTo(1f);
        assertThat(s[1][1]).isEqualTo(1e-6f);   // a constant feature is not divided by zero
    }
}
