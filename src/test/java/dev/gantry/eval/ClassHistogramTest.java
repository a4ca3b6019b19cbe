package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    @Test
    void countsConfidentSamplesAndCoveredClasses() {
        // n = 200, k = 4: 150 confident for class 0, 2 for class 1 (exactly 1 % → covered), 1 for
        // class 2 (below 1 %), 47 unconfident (max 0.6, for class 3), and none confident for class 3.
        int n = 200, k = 4;
        float[] p = new float[n * k];
        int row = 0;
        for (int i = 0; i < 150; i++, row++) {
            set(p, row, k, 0.95f, 0.05f, 0f, 0f);
        }
        for (int i = 0; i < 2; i++, row++) {
            set(p, row, k, 0.1f, 0.9f, 0f, 0f); // exactly 0.9f: confident
        }
        set(p, row++, k, 0f, 0f, 1f, 0f);
        for (int i = 0; i < 47; i++, row++) {
            set(p, row, k, 0.2f, 0.1f, 0.1f, 0.6f);
        }
        ClassHistogram.Result r = ClassHistogram.compute(p, n, k);
        assertThat(r.counts()).containsExactly(150, 2, 1, 0);
        assertThat(r.confident()).isEqualTo(153);
        assertThat(r.confidentFraction()).isCloseTo(153.0 / 200, within(1e-15));
        assertThat(r.classesCovered()).isEqualTo(2);
        double q0 = 150.0 / 153, q1 = 2.0 / 153, q2 = 1.0 / 153;
        double kl = q0 * Math.log(4 * q0) + q1 * Math.log(4 * q1) + q2 * Math.log(4 * q2);
        assertThat(r.klToUniform()).isCloseTo(kl, within(1e-12));
        assertThat(r.confidence()).isEqualTo(0.9);
        assertThat(r.classes()).isEqualTo(4);

        ClassHistogram.Result lax = ClassHistogram.compute(p, n, k, 0.5);
        assertThat(lax.counts()).containsExactly(150, 2, 1, 47);
        assertThat(lax.classesCovered()).isEqualTo(3);
    }

    @Test
    void balancedConfidentHistogramHasZeroKl() {
        int n = 30, k = 3;
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            p[i * k + i % k] = 1f;
        }
        ClassHistogram.Result r = ClassHistogram.compute(p, n, k);
        assertThat(r.klToUniform()).isZero();
        assertThat(r.classesCovered()).isEqualTo(3);
        assertThat(r.confidentFraction()).isEqualTo(1.0);
    }

    @Test
    void noConfidentSampleGivesNaNKl() {
        float[] p = {0.5f, 0.5f, 0.6f, 0.4f};
        ClassHistogram.Result r = ClassHistogram.compute(p, 2, 2);
        assertThat(r.confident()).isZero();
        assertThat(r.klToUniform()).isNaN();
        assertThat(r.classesCovered()).isZero();
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> ClassHistogram.compute(new float[] {1f, 0f}, 1, 2, 1.5))
                .isInstanceOf(BadInputException.class).hasMessageContaining("confidence threshold 1.5");
        assertThatThrownBy(() -> ClassHistogram.compute(new float[] {1.2f, -0.2f}, 1, 2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("row 0, class 0");
        assertThatThrownBy(() -> ClassHistogram.compute(new float[] {0.5f, 0.4f}, 1, 2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("sums to");
        assertThatThrownBy(() -> ClassHistogram.compute(new float[0], 0, 2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("0 rows");
        assertThatThrownBy(() -> ClassHistogram.compute(null, 1, 2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("missing");
    }

    private static void set(float[] p, int row, int k, float... values) {
        System.arraycopy(values, 0, p, row * k, k);
    }
}
