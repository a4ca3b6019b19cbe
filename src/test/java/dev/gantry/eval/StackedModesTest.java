package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import org.junit.jupiter.api.Test;

class StackedModesTest {

    @Test
    void countsDistinctTriplesAndTheirKl() {
        int[] c0 = {1, 1, 9};
        int[] c1 = {2, 2, 0};
        int[] c2 = {3, 3, 0};
        StackedModes.Result r = StackedModes.compute(c0, c1, c2);
        assertThat(r.modes()).isEqualTo(2);
        assertThat(r.histogram()[123]).isEqualTo(2);
        assertThat(r.histogram()[900]).isEqualTo(1);
        assertThat(r.samples()).isEqualTo(3);
        double kl = 2.0 / 3 * Math.log(1000 * 2.0 / 3) + 1.0 / 3 * Math.log(1000 / 3.0);
        assertThat(r.klToUniform()).isCloseTo(kl, within(1e-12));
    }

    @Test
    void everyTripleOnceIsAllModesAndZeroKl() {
        int[] c0 = new int[1000], c1 = new int[1000], c2 = new int[1000];
        for (int i = 0; i < 1000; i++) {
            c0[i] = i / 100;
            c1[i] = i / 10 % 10;
            c2[i] = i % 10;
        }
        StackedModes.Result r = StackedModes.compute(c0, c1, c2);
        assertThat(r.modes()).isEqualTo(1000);
        assertThat(r.klToUniform()).isCloseTo(0, within(1e-12));
        StackedModes.Result one = StackedModes.compute(new int[] {4, 4}, new int[] {4, 4}, new int[] {4, 4});
        assertThat(one.modes()).isEqualTo(1);
        assertThat(one.klToUniform()).isCloseTo(Math.log(1000), within(1e-12));
    }

    @Test
    void probabilitiesAreReadByTheirArgmax() {
        int n = 2;
        float[] p0 = new float[n * 10], p1 = new float[n * 10], p2 = new float[n * 10];
        p0[7] = 0.6f; p0[3] = 0.4f; p0[10 + 0] = 1f;       // digits 7, 0
        p1[5] = 1f; p1[10 + 5] = 0.5f; p1[10 + 6] = 0.5f;  // 5, tie 5/6 → 5
        p2[9] = 1f; p2[10 + 1] = 1f;                        // 9, 1
        StackedModes.Result r = StackedModes.compute(p0, p1, p2, n);
        assertThat(r).isEqualTo(StackedModes.compute(new int[] {7, 0}, new int[] {5, 5}, new int[] {9, 1}));
        assertThat(r.histogram()[759]).isEqualTo(1);
        assertThat(r.histogram()[51]).isEqualTo(1);
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> StackedModes.compute(new int[] {1}, new int[] {1, 2}, new int[] {1}))
                .isInstanceOf(BadInputException.class).hasMessageContaining("same number");
        assertThatThrownBy(() -> StackedModes.compute(new int[] {1}, new int[] {10}, new int[] {1}))
                .isInstanceOf(BadInputException.class).hasMessageContaining("channel 1 digits hold 10");
        assertThatThrownBy(() -> StackedModes.compute(new int[0], new int[0], new int[0]))
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> StackedModes.compute(new float[10], new float[10], new float[10], 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("channel 0 probabilities: row 0 sums to 0");
        assertThatThrownBy(() -> StackedModes.compute(new float[9], new float[10], new float[10], 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("channel 0 probabilities hold 9 values");
    }
}
