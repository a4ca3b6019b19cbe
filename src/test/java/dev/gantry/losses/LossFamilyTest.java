package dev.gantry.losses;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.config.ConfigLoader;
import dev.gantry.models.PaperDiscriminator;
import dev.gantry.nn.Param;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The Wasserstein, hinge and least-squares losses against their formulas; the penalty against a known gradient. */
class LossFamilyTest {

    static final float[] REAL = {2.0f, -0.5f, 0.25f, 3.0f};
    static final float[] FAKE = {-1.0f, 0.5f, -2.5f, 1.5f};

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double[] map(float[] v, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = f.applyAsDouble(v[i]);
        return out;
    }

    double[] eval(AdversarialLoss loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray r = m.create(REAL);
            NDArray f = m.create(FAKE);
            return new double[] {loss.discriminator(r, f).getFloat(), loss.generator(f).getFloat()};
        }
    }

    @Test
    void wasserstein() {
        double[] v = eval(new WassersteinLoss());
        assertThat(v[0]).isCloseTo(mean(map(FAKE, x -> x)) - mean(map(REAL, x -> x)), Offset.offset(1e-6));
        assertThat(v[1]).isCloseTo(-mean(map(FAKE, x -> x)), Offset.offset(1e-6));
    }

    @Test
    void hinge() {
        double[] v = eval(new HingeLoss());
        double d = mean(map(REAL, x -> Math.max(0, 1 - x))) + mean(map(FAKE, x -> Math.max(0, 1 + x)));
        assertThat(v[0]).isCloseTo(d, Offset.offset(1e-6));
        assertThat(v[1]).isCloseTo(-mean(map(FAKE, x -> x)), Offset.offset(1e-6));
    }

    @Test
    void leastSquares() {
        double[] v = eval(new LeastSquaresLoss());
        double d = 0.5 * mean(map(REAL, x -> (x - 1) * (x - 1))) + 0.5 * mean(map(FAKE, x -> x * x));
        assertThat(v[0]).isCloseTo(d, Offset.offset(1e-6));
        assertThat(v[1]).isCloseTo(0.5 * mean(map(FAKE, x -> (x - 1) * (x - 1))), Offset.offset(1e-6));
    }

    @Test
    void lossNamesBuildTheirLosses() {
        for (String name : Losses.NAMES) {
            // bigan needs its encoder and semi-supervised its classifying D: their presets say so.
            var c = switch (name) {
                case "bigan" -> ConfigLoader.load("bigan-mnist", null, List.of()).loss();
                case "semi-supervised" -> ConfigLoader.load("ssgan-mnist", null, List.of()).loss();
                default -> ConfigLoader.load("tiny", null, List.of("loss.name=" + name)).loss();
            };
            assertThat(c.name()).isEqualTo(name);
            assertThat(Losses.of(c)).isNotNull();
        }
        assertThat(Losses.of(ConfigLoader.load("tiny", null, List.of("loss.name=hinge")).loss())).isInstanceOf(HingeLoss.class);
    }

    /**
     * With one piece per maxout unit and identity-like weights D is linear, D(x) = a·x + c, so its
     * input gradient is the constant vector a and the penalty is λ(‖a‖ − 1)² exactly.
     */
    @Test
    void gradientPenaltyOfALinearCriticIsKnown() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            PaperDiscriminator d = new PaperDiscriminator(m, 3, 3, 1, 1, 0.5, 1.0, 1.0, false);
            List<Param> p = d.params();   // maxout1.weight [3,3], maxout1.bias, out.weight [1,3], out.bias
            p.get(0).array().set(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
            p.get(1).array().set(new float[] {5, 5, 5});
            p.get(2).array().set(new float[] {0.6f, 0.8f, 2.0f});
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 3));
            NDArray g = d.inputGradient(x, null);
            float[] gv = g.toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertThat(gv[i * 3]).isCloseTo(0.6f, Offset.offset(1e-6f));
                assertThat(gv[i * 3 + 1]).isCloseTo(0.8f, Offset.offset(1e-6f));
                assertThat(gv[i * 3 + 2]).isCloseTo(2.0f, Offset.offset(1e-6f));
            }
            double norm = Math.sqrt(0.36 + 0.64 + 4.0);
            NDArray penalty = g.square().sum(new int[] {1}).sqrt().sub(1).square().mean().mul(10);
            assertThat((double) penalty.getFloat()).isCloseTo(10 * (norm - 1) * (norm - 1), Offset.offset(1e-4));
        }
    }
}
