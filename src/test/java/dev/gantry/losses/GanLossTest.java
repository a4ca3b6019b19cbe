package dev.gantry.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.gantry.losses.GanLoss.GeneratorObjective;
import org.junit.jupiter.api.Test;

/** The GAN losses against their closed forms in the logits l (D = σ(l)). */
class GanLossTest {

    private static final float[] REAL = {2.0f, -0.5f, 0.0f, 3.5f, -1.25f};
    private static final float[] FAKE = {-3.0f, 0.75f, -0.1f, 1.5f, -6.0f};

    /** log(1 + e^x), stable for any x. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double meanSoftplus(float[] l, double sign) {
        double s = 0;
        for (float v : l) {
            s += softplus(sign * v);
        }
        return s / l.length;
    }

    @Test
    void discriminatorLossIsScaledBinaryCrossEntropyFromLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double scale : new double[] {0.5, 1.0}) {
                GanLoss loss = new GanLoss(GeneratorObjective.NON_SATURATING, scale);
                double got = loss.discriminator(m.create(REAL), m.create(FAKE)).getFloat();
                // scale · (mean log(1+e^{−l_r}) + mean log(1+e^{l_f}))
                double expected = scale * (meanSoftplus(REAL, -1) + meanSoftplus(FAKE, 1));
                assertThat(got).as("dScale %s", scale).isCloseTo(expected, within(1e-6 * expected));
            }
        }
    }

    @Test
    void generatorLossesAreTheirClosedForms() {
        try (NDManager m = NDManager.newBaseManager()) {
            double ns = new GanLoss(GeneratorObjective.NON_SATURATING, 0.5).generator(m.create(FAKE)).getFloat();
            double mm = new GanLoss(GeneratorObjective.MINIMAX, 0.5).generator(m.create(FAKE)).getFloat();
            assertThat(ns).isCloseTo(meanSoftplus(FAKE, -1), within(1e-6));    // mean −log σ(l_f)
            assertThat(mm).isCloseTo(-meanSoftplus(FAKE, 1), within(1e-6));    // mean log(1 − σ(l_f))
            // The named objectives of the config resolve to the same things.
            assertThat(GanLoss.of("non-saturating", 1).objective()).isEqualTo(GeneratorObjective.NON_SATURATING);
            assertThat(GanLoss.of("minimax", 1).objective()).isEqualTo(GeneratorObjective.MINIMAX);
            assertThatThrownBy(() -> GanLoss.of("wasserstein", 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wasserstein");
        }
    }

    @Test
    void extremeLogitsGiveFiniteExactLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            GanLoss ns = new GanLoss(GeneratorObjective.NON_SATURATING, 1.0);
            GanLoss mm = new GanLoss(GeneratorObjective.MINIMAX, 1.0);
            NDArray plus = m.create(new float[] {50f, 50f});
            NDArray minus = m.create(new float[] {-50f, -50f});
            double tiny = Math.log1p(Math.exp(-50));   // ≈ 1.9287e−22: log(σ(50)) rounds to 0 in any float type
            // D certain and right: loss ≈ e^{−50}, not 0 and not NaN.
            assertThat((double) ns.discriminator(plus, minus).getFloat()).isCloseTo(2 * tiny, within(1e-5 * tiny));
            // D certain and wrong: loss = 50 + 50, not +∞ (log of a probability rounded to 0 would be).
            assertThat((double) ns.discriminator(minus, plus).getFloat()).isCloseTo(100, within(1e-4));
            // G's losses at both extremes.
            assertThat((double) ns.generator(minus).getFloat()).isCloseTo(50, within(1e-5));
            assertThat((double) ns.generator(plus).getFloat()).isCloseTo(tiny, within(1e-5 * tiny));
            assertThat((double) mm.generator(plus).getFloat()).isCloseTo(-50, within(1e-5));
            assertThat((double) mm.generator(minus).getFloat()).isCloseTo(-tiny, within(1e-5 * tiny));
        }
    }

    @Test
    void discriminatorGradientIsTheClosedForm() {
        double scale = 0.5;
        int b = REAL.length;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.create(REAL);
            NDArray fake = m.create(FAKE);
            real.setRequiresGradient(true);
            fake.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new GanLoss(GeneratorObjective.NON_SATURATING, scale).discriminator(real, fake));
            }
            float[] gr = real.getGradient().toFloatArray();
            float[] gf = fake.getGradient().toFloatArray();
            for (int i = 0; i < b; i++) {
                // d/dl_r softplus(−l_r)/B = −σ(−l_r)/B; d/dl_f softplus(l_f)/B = σ(l_f)/B.
                assertThat((double) gr[i]).isCloseTo(-scale * sigmoid(-REAL[i]) / b, within(1e-7));
                assertThat((double) gf[i]).isCloseTo(scale * sigmoid(FAKE[i]) / b, within(1e-7));
            }
        }
    }

    /**
     * The paper's reason for the non-saturating loss: where D confidently rejects fakes (l_f = −5,
     * D(G(z)) ≈ 0.0067), log(1 − D(G(z))) has almost no slope, −log D(G(z)) has nearly the largest.
     */
    @Test
    void minimaxSaturatesWhereTheNonSaturatingLossDoesNot() {
        int b = 4;
        float l = -5f;
        double[] gradMinimax = generatorGradient(GeneratorObjective.MINIMAX, l, b);
        double[] gradNs = generatorGradient(GeneratorObjective.NON_SATURATING, l, b);
        double sig = sigmoid(l);   // 0.006693
        for (int i = 0; i < b; i++) {
            // d/dl (−softplus(l))/B = −σ(l)/B;  d/dl softplus(−l)/B = −(1 − σ(l))/B.
            assertThat(gradMinimax[i]).isCloseTo(-sig / b, within(1e-8));
            assertThat(gradNs[i]).isCloseTo(-(1 - sig) / b, within(1e-7));
        }
        // Both push the fake logit up, but the minimax push is ~150 times weaker: e^{l} = σ/(1−σ).
        assertThat(Math.abs(gradMinimax[0]) / Math.abs(gradNs[0])).isCloseTo(Math.exp(l), within(1e-5));
        assertThat(Math.abs(gradMinimax[0])).isLessThan(0.01 * Math.abs(gradNs[0]));
    }

    private static double[] generatorGradient(GeneratorObjective objective, float logit, int b) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = new float[b];
            java.util.Arrays.fill(values, logit);
            NDArray fake = m.create(values);
            fake.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new GanLoss(objective, 0.5).generator(fake));
            }
            float[] g = fake.getGradient().toFloatArray();
            double[] out = new double[b];
            for (int i = 0; i < b; i++) {
                out[i] = g[i];
            }
            return out;
        }
    }
}
