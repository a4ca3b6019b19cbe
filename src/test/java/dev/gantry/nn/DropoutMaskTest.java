package dev.gantry.nn;

import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inverted dropout masks: values 0 or 1/keep, a binomial kept fraction, keep = 1 is the identity. */
class DropoutMaskTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.8, 0.5, 0.3})
    void entriesAreZeroOrInverseKeepAndTheKeptFractionIsBinomial(double keep) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            int rows = 500;
            int cols = 400;
            NDArray mask = DropoutMask.sample(m, new Shape(rows, cols), keep);
            assertThat(mask.getShape()).isEqualTo(new Shape(rows, cols));
            float[] v = mask.toFloatArray();
            Set<Float> distinct = new TreeSet<>();
            long kept = 0;
            for (float f : v) {
                distinct.add(f);
                if (f != 0f) {
                    kept++;
                }
            }
            assertThat(distinct).containsExactly(0f, (float) (1.0 / keep));
            // Kept fraction ~ Binomial(n, keep)/n: within 5 standard errors √(keep(1−keep)/n).
            int n = v.length;
            double se = Math.sqrt(keep * (1 - keep) / n);
            assertThat((double) kept / n).isCloseTo(keep, within(5 * se));
        }
    }

    @Test
    void keepOneIsNoMaskAndTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(DropoutMask.sample(m, new Shape(3, 4), 1.0)).isNull();
            NDArray x = m.randomNormal(new Shape(3, 4));
            assertThat(DropoutMask.apply(x, null)).isSameAs(x);
        }
    }

    @Test
    void applyMultipliesElementwiseAndOneMaskGivesTheSameOutputTwice() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray x = m.randomNormal(new Shape(6, 7));
            NDArray mask = DropoutMask.sample(m, new Shape(6, 7), 0.5);
            double[] first = toDoubles(DropoutMask.apply(x, mask));
            double[] second = toDoubles(DropoutMask.apply(x, mask));
            assertThat(second).containsExactly(first);
            double[] xs = toDoubles(x);
            double[] ms = toDoubles(mask);
            for (int i = 0; i < xs.length; i++) {
                assertThat(first[i]).isEqualTo(ms[i] == 0 ? 0.0 : 2 * xs[i]);   // ×2 is exact in floating point
            }
            // Another draw is another mask.
            assertThat(toDoubles(DropoutMask.sample(m, new Shape(6, 7), 0.5))).isNotEqualTo(ms);
        }
    }
}
