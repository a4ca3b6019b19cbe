package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import dev.gantry.data.ToyMixture;
import dev.gantry.data.format.Npy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PacGAN mode-coverage metrics (Lin et al. 2018) against closed forms. */
class ModeCoverageTest {

    /** P(‖Z‖ < 3) for Z ~ N(0, I₂): the χ²₂ law gives 1 − e^{−9/2}. */
    private static final double PERFECT_HQ = 1 - Math.exp(-4.5);

    private static ModeCoverage.Result eval(ToyMixture m, float[] samples) {
        return new ModeCoverage(m).evaluate(samples, samples.length / 2, 2);
    }

    /** {@code n} copies of the point (x, y). */
    private static float[] repeat(int n, double x, double y) {
        float[] s = new float[2 * n];
        for (int i = 0; i < n; i++) {
            s[2 * i] = (float) x;
            s[2 * i + 1] = (float) y;
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring8", "grid25"})
    void aPerfectSamplerCapturesEveryModeWithTheChiSquareHqFraction(String name) {
        ToyMixture m = ToyMixture.named(name);
        int n = ModeCoverage.PROTOCOL_SAMPLES;
        ModeCoverage.Result r = eval(m, m.sample(n, 2024));
        assertThat(r.modes()).isEqualTo(m.modes());
        assertThat(r.modesCaptured()).isEqualTo(m.modes());
        assertThat(r.samples()).isEqualTo(n);
        // 4 binomial standard errors: ±0.0084 at n = 2,500.
        assertThat(r.highQualityFraction()).isCloseTo(PERFECT_HQ, within(4 * Math.sqrt(PERFECT_HQ * (1 - PERFECT_HQ) / n)));
        // A multinomial histogram of n HQ samples has E[KL] ≈ (K − 1)/(2n): 0.0014 (ring), 0.0049 (grid).
        double expectedKl = (m.modes() - 1) / (2.0 * r.highQualitySamples());
        assertThat(r.reverseKl()).isBetween(0.0, 5 * expectedKl);
        assertThat(r.highQualitySamples()).isEqualTo((int) Math.round(r.highQualityFraction() * n));
    }

    @Test
    void hqFractionConvergesToOneMinusExpMinusFourAndAHalf() {
        int n = 200_000;
        ModeCoverage.Result r = eval(ToyMixture.GRID25, ToyMixture.GRID25.sample(n, 99));
        // 4 standard errors: ±0.00094. Distinguishes the 2D radius test (0.98889) from, e.g., a
        // per-coordinate |dx| < 3σ box (0.99461) or a 1D 3σ rule (0.99730).
        assertThat(r.highQualityFraction()).isCloseTo(PERFECT_HQ, within(4 * Math.sqrt(PERFECT_HQ * (1 - PERFECT_HQ) / n)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring8", "grid25"})
    void allSamplesOnOneModeGiveOneModeAndKlLogK(String name) {
        ToyMixture m = ToyMixture.named(name);
        int mode = 3;
        ModeCoverage.Result r = eval(m, repeat(2500, m.mean(mode, 0), m.mean(mode, 1)));
        assertThat(r.modesCaptured()).isEqualTo(1);
        assertThat(r.highQualityFraction()).isEqualTo(1.0);
        assertThat(r.reverseKl()).isCloseTo(Math.log(m.modes()), within(1e-12));
        int[] expected = new int[m.modes()];
        expected[mode] = 2500;
        assertThat(r.histogram()).containsExactly(expected);
    }

    @Test
    void samplesFarFromEveryModeAreNotHighQuality() {
        ModeCoverage.Result r = eval(ToyMixture.RING8, repeat(100, 100, -100));
        assertThat(r.modesCaptured()).isZero();
        assertThat(r.highQualityFraction()).isZero();
        assertThat(r.histogram()).containsOnly(0);
        assertThat(r.reverseKl()).isNaN(); // no HQ histogram to compare
        // Between modes is no better: the origin is 100σ from every ring mode.
        assertThat(eval(ToyMixture.RING8, repeat(10, 0, 0)).highQualityFraction()).isZero();
    }

    @Test
    void aHandBuiltHistogramGivesTheClosedFormKl() {
        ToyMixture m = ToyMixture.RING8;
        // 3 samples on mode 0, 1 on mode 1, 2 far away: q = (3/4, 1/4, 0, …).
        float[] s = {1, 0, 1, 0, 1, 0, (float) m.mean(1, 0), (float) m.mean(1, 1), 5, 5, -7, 0};
        ModeCoverage.Result r = eval(m, s);
        assertThat(r.histogram()).containsExactly(3, 1, 0, 0, 0, 0, 0, 0);
        assertThat(r.modesCaptured()).isEqualTo(2);
        assertThat(r.highQualityFraction()).isEqualTo(4.0 / 6);
        double kl = 0.75 * Math.log(0.75 * 8) + 0.25 * Math.log(0.25 * 8);
        assertThat(r.reverseKl()).isCloseTo(kl, within(1e-15));
        // The same as log K − H(q), the entropy PacGAN's synthetic-data logger records.
        double entropy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        assertThat(r.reverseKl()).isCloseTo(Math.log(8) - entropy, within(1e-15));
    }

    @Test
    void reverseKlOfHistograms() {
        assertThat(ModeCoverage.reverseKl(new int[] {2, 2, 0, 0, 0, 0, 0, 0})).isCloseTo(Math.log(4), within(1e-15));
        assertThat(ModeCoverage.reverseKl(new int[] {5, 5, 5, 5})).isEqualTo(0.0);
        assertThat(ModeCoverage.reverseKl(new int[] {0, 7, 0})).isCloseTo(Math.log(3), within(1e-15));
        assertThat(ModeCoverage.reverseKl(new int[] {0, 0})).isNaN();
        assertThatThrownBy(() -> ModeCoverage.reverseKl(new int[] {1, -1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModeCoverage.reverseKl(new int[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theThreeSigmaBoundaryAndTheNearestMode() {
        ToyMixture m = ToyMixture.GRID25; // σ = 0.05, so 3σ = 0.15; mode 12 is the origin
        ModeCoverage c = new ModeCoverage(m);
        assertThat(c.evaluate(new float[] {0.149f, 0}, 1, 2).histogram()[12]).isEqualTo(1);
        assertThat(c.evaluate(new float[] {0.151f, 0}, 1, 2).highQualityFraction()).isZero();
        assertThat(c.evaluate(new float[] {0.1f, 0.1f}, 1, 2).highQualityFraction()).isEqualTo(1.0); // 0.141 < 0.15
        assertThat(c.evaluate(new float[] {0.11f, 0.11f}, 1, 2).highQualityFraction()).isZero(); // 0.156: a box test would pass it
        // A point near (2, 2) counts for mode (2, 2) = index 3*5+3, not for the origin.
        assertThat(c.evaluate(new float[] {1.95f, 2.05f}, 1, 2).histogram()[18]).isEqualTo(1);
    }

    @Test
    void resultDoesNotDependOnSampleOrder() {
        ToyMixture m = ToyMixture.GRID25;
        // A lopsided generator: 300 samples on mode 7, 150 on mode 20, 150 uniform on [−5, 5]².
        float[] s = new float[2 * 600];
        float[] on7 = ToyMixture.of("mode7", new double[][] {{m.mean(7, 0), m.mean(7, 1)}}, m.std()).sample(300, 1);
        float[] on20 = ToyMixture.of("mode20", new double[][] {{m.mean(20, 0), m.mean(20, 1)}}, m.std()).sample(150, 2);
        System.arraycopy(on7, 0, s, 0, 600);
        System.arraycopy(on20, 0, s, 600, 300);
        Random rnd = new Random(3);
        for (int i = 900; i < 1200; i++) {
            s[i] = (float) (rnd.nextDouble() * 10 - 5);
        }
        ModeCoverage.Result before = eval(m, s);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(8));
        float[] shuffled = new float[s.length];
        for (int i = 0; i < 600; i++) {
            shuffled[2 * i] = s[2 * order.get(i)];
            shuffled[2 * i + 1] = s[2 * order.get(i) + 1];
        }
        assertThat(eval(m, shuffled)).isEqualTo(before);
        assertThat(before.histogram()[7]).isBetween(280, 305);
        assertThat(before.histogram()[20]).isBetween(135, 155);
        assertThat(before.highQualityFraction()).isBetween(0.7, 0.8);
    }

    @Test
    void evaluatesAnNpyMatrix() {
        float[] s = ToyMixture.RING8.sample(50, 4);
        assertThat(new ModeCoverage(ToyMixture.RING8).evaluate(new Npy.Matrix(s, 50, 2)))
                .isEqualTo(eval(ToyMixture.RING8, s));
    }

    @Test
    void rejectsTheWrongWidth() {
        ModeCoverage c = new ModeCoverage(ToyMixture.RING8);
        assertThatThrownBy(() -> c.evaluate(new float[3 * 784], 3, 784))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("(3, 784)").hasMessageContaining("(N, 2)");
        assertThatThrownBy(() -> c.evaluate(new float[3], 1, 3)).isInstanceOf(BadInputException.class);
    }

    @Test
    void rejectsNonFiniteValuesNamingTheRow() {
        ModeCoverage c = new ModeCoverage(ToyMixture.RING8);
        float[] s = ToyMixture.RING8.sample(10, 1);
        s[2 * 5 + 1] = Float.NaN;
        assertThatThrownBy(() -> c.evaluate(s, 10, 2)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("row 5").hasMessageContaining("NaN");
        float[] t = ToyMixture.RING8.sample(10, 1);
        t[2 * 7] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> c.evaluate(t, 10, 2)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("row 7").hasMessageContaining("Infinity");
    }

    @Test
    void rejectsNoSamplesAndInconsistentSizes() {
        ModeCoverage c = new ModeCoverage(ToyMixture.RING8);
        assertThatThrownBy(() -> c.evaluate(new float[0], 0, 2)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> c.evaluate(new float[5], 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultHistogramIsDefensivelyCopied() {
        int[] h = {1, 0};
        ModeCoverage.Result r = new ModeCoverage.Result(2, 1, 1.0, Math.log(2), h, 1);
        h[1] = 5;
        r.histogram()[0] = 9;
        assertThat(r.histogram()).containsExactly(1, 0);
    }
}
