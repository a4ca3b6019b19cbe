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

class DensityCoverageTest {

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
    void identicalSetsHaveFullCoverageAndUnitDensity() {
        // Ball i holds fake i (itself) and its k − 1 nearer neighbours; the k-th sits on the open boundary.
        Random rng = new Random(31);
        int n = 200, f = 5;
        float[] x = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        DensityCoverage.Result exact = DensityCoverage.compute(manager, x, n, x.clone(), n, f, 5, DataType.FLOAT64);
        assertThat(exact.coverage()).isEqualTo(1.0);
        // Strictly inside: the k-th neighbour on the boundary does not count (<= would give (k + 1) / k = 1.2).
        // The radii and the fake-to-real distances come from two engine products, which need not agree to the
        // last bit (MKL's results depend on the buffers' alignment): on 2026-12-02's machine 3 of the 200
        // boundary neighbours fell inside, density 1.003.
        assertThat(exact.density()).isBetween(1.0, 1.02);
        DensityCoverage.Result f32 = DensityCoverage.compute(manager, x, n, x.clone(), n, f);
        assertThat(f32.coverage()).isEqualTo(1.0);
        assertThat(f32.density()).isCloseTo(1.0, within(0.01));
        assertThat(f32.k()).isEqualTo(5);
    }

    @Test
    void farApartSetsHaveNone() {
        Random rng = new Random(32);
        int f = 4;
        float[] real = GanMetricsTestData.gaussian(rng, 100, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, 80, f, 1, -50);
        DensityCoverage.Result r = DensityCoverage.compute(manager, real, 100, fake, 80, f);
        assertThat(r.density()).isZero();
        assertThat(r.coverage()).isZero();
    }

    @Test
    void handBuiltOneDimensionalExample() {
        // k = 1. Real 0, 1, 3: radii 1, 1, 2. Fake 0.5 and 0.9 lie in the balls of 0 and 1 (not 3),
        // 6 in none: density = (2 + 2 + 0) / (1·3), coverage = 2/3 (the ball of 3 is empty).
        float[] real = {0, 1, 3};
        float[] fake = {0.5f, 0.9f, 6};
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            DensityCoverage.Result r = DensityCoverage.compute(manager, real, 3, fake, 3, 1, 1, type);
            assertThat(r.density()).isCloseTo(4.0 / 3, within(1e-15));
            assertThat(r.coverage()).isCloseTo(2.0 / 3, within(1e-15));
        }
        // k = 2: radii 3, 2, 3 (0: {1, 3}; 1: {1, 2}; 3: {2, 3}); 0.5 → all three, 0.9 → all three, 6.5 → none.
        float[] fake2 = {0.5f, 0.9f, 6.5f};
        DensityCoverage.Result k2 = DensityCoverage.compute(manager, real, 3, fake2, 3, 1, 2, DataType.FLOAT32);
        assertThat(k2.density()).isCloseTo(6.0 / (2 * 3), within(1e-15));
        assertThat(k2.coverage()).isEqualTo(1.0);
    }

    @Test
    void ballsAreOpen() {
        // Real 0, 1, 2 with k = 1: radius 1 each; fake 3 lies exactly on the ball of 2 and does not count.
        DensityCoverage.Result r = DensityCoverage.compute(manager, new float[] {0, 1, 2}, 3, new float[] {3}, 1, 1, 1,
                DataType.FLOAT32);
        assertThat(r.density()).isZero();
        assertThat(r.coverage()).isZero();
    }

    @Test
    void agreesWithBruteForceOnRandomData() {
        Random rng = new Random(33);
        int nReal = 300, nFake = 260, f = 10, k = 5;
        float[] real = GanMetricsTestData.gaussian(rng, nReal, f, 1, 0);
        float[] fake = GanMetricsTestData.gaussian(rng, nFake, f, 0.8, 0.2);
        double[] rr = GanMetricsTestData.kthRadii(real, nReal, f, k);
        long inside = 0;
        int covered = 0;
        for (int i = 0; i < nReal; i++) {
            boolean any = false;
            for (int j = 0; j < nFake; j++) {
                if (GanMetricsTestData.sq(fake, j, real, i, f) < rr[i]) {
                    inside++;
                    any = true;
                }
            }
            covered += any ? 1 : 0;
        }
        double density = (double) inside / (k * nFake);
        double coverage = (double) covered / nReal;
        assertThat(coverage).isBetween(0.2, 0.99);
        DensityCoverage.Result exact = DensityCoverage.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT64);
        assertThat(exact.density()).isCloseTo(density, within(1e-12));
        assertThat(exact.coverage()).isEqualTo(coverage);
        assertThat(DensityCoverage.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT64, 41))
                .isEqualTo(exact);
        DensityCoverage.Result f32 = DensityCoverage.compute(manager, real, nReal, fake, nFake, f, k, DataType.FLOAT32, 50);
        assertThat(f32.density()).isCloseTo(density, within(0.01));
        assertThat(f32.coverage()).isCloseTo(coverage, within(2.0 / nReal));
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> DensityCoverage.compute(manager, new float[20], 5, new float[4], 1, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("real features: 5 rows; expected at least 6");
        assertThatThrownBy(() -> DensityCoverage.compute(manager, new float[24], 6, new float[5], 1, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features hold 5 values");
        assertThatThrownBy(() -> DensityCoverage.compute(manager, new float[24], 6, new float[0], 0, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features: 0 rows");
        float[] nan = new float[24];
        nan[0] = Float.NaN;
        assertThatThrownBy(() -> DensityCoverage.compute(manager, nan, 6, new float[4], 1, 4))
                .isInstanceOf(BadInputException.class).hasMessageContaining("real features").hasMessageContaining("row 0, column 0");
    }
}
