package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gantry.BadInputException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

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
    void identicalSetsHaveFullPrecisionAndRecall() {
        Random rng = new Random(21);
        int n = 200, f = 5;
        float[] x = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            PrecisionRecall.Result r = PrecisionRecall.compute(manager, x, n, x.clone(), n, f, 3, type);
            assertThat(r.precision()).isEqualTo(1.0);
            assertThat(r.recall()).isEqualTo(1.0);
        }
        PrecisionRecall.Result r = PrecisionRecall.compute(manager, x, n, x, n, f);
        assertThat(r.k()).isEqualTo(3);
        assertThat(r.realCount()).isEqualTo(n);
    }

    @Test
    void farApartSetsHaveNone() {
        Random rng = new Random(22);
        int f = 4;
        float[] real = GanMetricsTestData.gaussian(rng, 100, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, 80, f, 1, 50);
        PrecisionRecall.Result r = PrecisionRecall.compute(manager, real, 100, fake, 80, f);
        assertThat(r.precision()).isZero();
        assertThat(r.recall()).isZero();
    }

    @Test
    void handBuiltTwoDimensionalExample() {
        // k = 1. Real: unit-square corners (radius 1 each) and (2.8, 0.1) (radius |(1.8, 0.1)| ≈ 1.803).
        float[] real = {0, 0, 1, 0, 0, 1, 1, 1, 2.8f, 0.1f};
        // Fake radii: 0.1, 0.1, 0.5, 0.5 and |(2, 4.5)| ≈ 4.92 for (5, 5).
        float[] fake = {0.5f, 0.5f, 0.6f, 0.5f, 3, 0, 3, 0.5f, 5, 5};
        // Precision: all but (5, 5) lie in a real ball (0.71 ≤ 1, 0.64 ≤ 1, 0.22 and 0.45 ≤ 1.80): 4/5.
        // Recall: only (2.8, 0.1) lies in a fake ball, that of (3, 0) (0.22 ≤ 0.5); (1, 1) is 5.66 from (5, 5): 1/5.
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            PrecisionRecall.Result r = PrecisionRecall.compute(manager, real, 5, fake, 5, 2, 1, type);
            assertThat(r.precision()).isCloseTo(0.8, within(1e-15));
            assertThat(r.recall()).isCloseTo(0.2, within(1e-15));
        }
    }

    @Test
    void ballsAreClosed() {
        // Real 0, 1, 2 with k = 1: radius 1 each; the fake point 3 lies exactly on the ball of 2.
        float[] real = {0, 1, 2};
        float[] fake = {3, 10};
        PrecisionRecall.Result r = PrecisionRecall.compute(manager, real, 3, fake, 2, 1, 1, DataType.FLOAT32);
        assertThat(r.precision()).isEqualTo(0.5);
        // fake radii: 7 each (each other's only neighbour); the ball of 3 holds 0, 1 and 2
        assertThat(r.recall()).isEqualTo(1.0);
    }

    @Test
    void agreesWithBruteForceOnRandomData() {
        Random rng = new Random(23);
        int nReal = 300, nFake = 250, f = 10, k = 3;
        float[] real = GanMetricsTestData.gaussian(rng, nReal, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, nFake, f, 1.1, 0.15);
        double[] expected = bruteForce(real, nReal, fake, nFake, f, k);
        assertThat(expected[0]).isBetween(0.2, 0.99);
        assertThat(expected[1]).isBetween(0.2, 0.99);
        PrecisionRecall.Result exact = PrecisionRecall.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT64);
        assertThat(exact.precision()).isEqualTo(expected[0]);
        assertThat(exact.recall()).isEqualTo(expected[1]);
        // small chunks: row blocks end inside both sets
        PrecisionRecall.Result chunked =
                PrecisionRecall.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT64, 37);
        assertThat(chunked).isEqualTo(exact);
        PrecisionRecall.Result f32 = PrecisionRecall.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT32, 64);
        assertThat(f32.precision()).isCloseTo(expected[0], within(2.0 / nFake));
        assertThat(f32.recall()).isCloseTo(expected[1], within(2.0 / nReal));
    }

    @Test
    void badInputsAreNamed() {
        float[] x = new float[12];
        assertThatThrownBy(() -> PrecisionRecall.compute(manager, x, 3, x, 3, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("real features: 3 rows; expected at least 4");
        assertThatThrownBy(() -> PrecisionRecall.compute(manager, new float[20], 5, new float[15], 5, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features hold 15 values");
        float[] nan = new float[20];
        nan[19] = Float.NaN;
        assertThatThrownBy(() -> PrecisionRecall.compute(manager, new float[20], 5, nan, 5, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features").hasMessageContaining("row 4, column 3");
        assertThatThrownBy(() -> PrecisionRecall.compute(manager, x, 12, x, 12, 1, 0, DataType.FLOAT32))
                .isInstanceOf(BadInputException.class).hasMessageContaining("neighbourhood size k");
        assertThatThrownBy(() -> PrecisionRecall.compute(manager, x, 12, x, 12, 1, 3, DataType.INT32))
                .isInstanceOf(BadInputException.class).hasMessageContaining("FLOAT32 or FLOAT64");
    }

    /** {precision, recall} by brute force in double, radii by sorting. */
    static double[] bruteForce(float[] real, int nReal, float[] fake, int nFake, int f, int k) {
        double[] rr = GanMetricsTestData.kthRadii(real, nReal, f, k);
        double[] rf = GanMetricsTestData.kthRadii(fake, nFake, f, k);
        int p = 0;
        for (int j = 0; j < nFake; j++) {
            for (int i = 0; i < nReal; i++) {
                if (GanMetricsTestData.sq(fake, j, real, i, f) <= rr[i]) {
                    p++;
                    break;
                }
            }
        }
        int r = 0;
        for (int i = 0; i < nReal; i++) {
            for (int j = 0; j < nFake; j++) {
                if (GanMetricsTestData.sq(real, i, fake, j, f) <= rf[j]) {
                    r++;
                    break;
                }
            }
        }
        return new double[] {(double) p / nFake, (double) r / nReal};
    }
}
