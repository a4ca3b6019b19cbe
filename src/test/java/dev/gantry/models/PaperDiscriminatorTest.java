package dev.gantry.models;

import static dev.gantry.nn.NdTestSupport.affine;
import static dev.gantry.nn.NdTestSupport.flat;
import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.maxout;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.nn.Param;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's maxout discriminator: shapes, dropout masks, freezing, its forward pass, its size. */
class PaperDiscriminatorTest {

    private static final int IN = 10;
    private static final int UNITS = 4;
    private static final int PIECES = 3;
    private static final int B = 6;

    private static PaperDiscriminator small(NDManager m) {
        return new PaperDiscriminator(m, IN, UNITS, PIECES, 0.5, 0.8, 0.5);
    }

    @Test
    void logitsHaveOneValuePerExampleAndEvaluationIsDeterministic() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(21);
            PaperDiscriminator d = small(m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(B, IN));
            NDArray a = d.logits(x, null, false);
            assertThat(a.getShape()).isEqualTo(new Shape(B));
            // No dropout without masks: the same input gives the same logits, however often it is scored.
            assertThat(d.logits(x, null, false).toFloatArray()).containsExactly(a.toFloatArray());
            assertThat(d.logits(x, null, true).toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    @Test
    void masksHaveThePapersShapesAndDecideTheOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(22);
            PaperDiscriminator d = small(m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(B, IN));
            NDList masks = d.sampleMasks(m, B);
            assertThat(masks).hasSize(3);
            assertThat(masks.get(0).getShape()).isEqualTo(new Shape(B, IN));
            assertThat(masks.get(1).getShape()).isEqualTo(new Shape(B, UNITS));
            assertThat(masks.get(2).getShape()).isEqualTo(new Shape(B, UNITS));
            assertThat(toDoubles(masks.get(0))).containsOnly(0.0, 1.25);
            assertThat(toDoubles(masks.get(1))).containsOnly(0.0, 2.0);

            float[] first = d.logits(x, masks, false).toFloatArray();
            assertThat(d.logits(x, masks, false).toFloatArray()).containsExactly(first);
            assertThat(d.logits(x, masks, true).toFloatArray()).containsExactly(first);
            NDList other = d.sampleMasks(m, B);
            assertThat(d.logits(x, other, false).toFloatArray()).isNotEqualTo(first);
            assertThat(d.logits(x, null, false).toFloatArray()).isNotEqualTo(first);
        }
    }

    @Test
    void forwardWithMasksMatchesAnIndependentComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(23);
            PaperDiscriminator d = small(m);
            List<Param> p = d.params();
            NDArray x = m.randomUniform(0f, 1f, new Shape(B, IN));
            NDList masks = d.sampleMasks(m, B);

            double[] h = times(toDoubles(x), toDoubles(masks.get(0)));
            h = flat(maxout(h, toDoubles(p.get(0).array()), toDoubles(p.get(1).array()), B, IN, UNITS, PIECES));
            h = times(h, toDoubles(masks.get(1)));
            h = flat(maxout(h, toDoubles(p.get(2).array()), toDoubles(p.get(3).array()), B, UNITS, UNITS, PIECES));
            h = times(h, toDoubles(masks.get(2)));
            double[] expected = flat(affine(h, toDoubles(p.get(4).array()), toDoubles(p.get(5).array()), B, UNITS, 1));

            double[] logits = toDoubles(d.logits(x, masks, false));
            for (int b = 0; b < B; b++) {
                assertThat(logits[b]).as("logit %d", b).isCloseTo(expected[b], within(1e-5));
            }
        }
    }

    @Test
    void frozenDiscriminatorPassesGradientToItsInputOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(24);
            PaperDiscriminator d = small(m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(B, IN));
            x.setRequiresGradient(true);
            NDList masks = d.sampleMasks(m, B);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(d.logits(x, masks, true).sum());
            }
            for (Param p : d.params()) {
                assertThat(grad(p.array())).as(p.name()).containsOnly(0.0);
            }
            assertThat(norm(grad(x))).isPositive();
        }
    }

    @Test
    void unfrozenDiscriminatorGivesEveryParameterAGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(25);
            PaperDiscriminator d = small(m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(B, IN));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(d.logits(x, null, false).sum());
            }
            for (Param p : d.params()) {
                assertThat(norm(grad(p.array()))).as(p.name()).isPositive();
            }
            // The output bias's gradient is d Σ_b logit_b / d bias = B.
            assertThat(grad(d.params().get(5).array())).containsExactly((double) B);
        }
    }

    @Test
    void parameterCountOfThePaperDiscriminatorMatchesTheClosedForm() {
        RunConfig.ModelConfig paper = ConfigLoader.load("paper-mnist", null, List.of()).model();
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d = Models.build(m, paper, new dev.gantry.data.ImageShape(1, 28, 28), PixelMeans.constant(0.13, 784)).discriminator();
            long expected = 784L * 1200 + 1200 + 240L * 1200 + 1200 + 240 + 1;
            assertThat(expected).isEqualTo(1_231_441L);
            assertThat(d.parameterCount()).isEqualTo(expected);
            assertThat(d.params()).extracting(p -> p.array().getShape()).containsExactly(
                    new Shape(1200, 784), new Shape(1200), new Shape(1200, 240), new Shape(1200),
                    new Shape(1, 240), new Shape(1));
            // Weights U(−0.005, 0.005), biases 0.
            for (Param p : d.params()) {
                double[] v = toDoubles(p.array());
                if (p.name().endsWith(".bias")) {
                    assertThat(v).as(p.name()).containsOnly(0.0);
                } else {
                    for (double w : v) {
                        assertThat(Math.abs(w)).as(p.name()).isLessThanOrEqualTo(0.005);
                    }
                }
            }
            NDList masks = d.sampleMasks(m, 3);
            assertThat(masks.get(0).getShape()).isEqualTo(new Shape(3, 784));
            assertThat(masks.get(1).getShape()).isEqualTo(new Shape(3, 240));
            assertThat(masks.get(2).getShape()).isEqualTo(new Shape(3, 240));
        }
    }

    @Test
    void unknownArchitectureIsRejected() {
        RunConfig.ModelConfig tiny = ConfigLoader.load("tiny", null, List.of()).model();
        RunConfig.ModelConfig other = ConfigLoader.load("tiny", null, List.of("model.arch=stylegan9")).model();
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Models.build(m, other, new dev.gantry.data.ImageShape(1, 28, 28), PixelMeans.constant(0.5, 784)))
                    .isInstanceOf(dev.gantry.BadInputException.class).hasMessageContaining("stylegan9")
                    .hasMessageContaining("paper-mlp, dcgan");
        }
    }

    private static double[] times(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
