package dev.gantry.nn;

import static dev.gantry.nn.NdTestSupport.affine;
import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Dense against y = x Wᵀ + b computed by hand in doubles; freezing; the paper's initialisation. */
class DenseTest {

    private static final int IN = 5;
    private static final int OUT = 3;
    private static final int B = 4;

    @Test
    void forwardEqualsXWTransposePlusBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Dense dense = new Dense(m, "t", IN, OUT, 0.5);
            // A non-zero bias so that its role is checked too.
            dense.bias().array().set(new float[] {0.25f, -1.5f, 3f});
            NDArray x = m.randomNormal(new Shape(B, IN));

            double[] y = toDoubles(dense.forward(x, false));
            double[][] expected = affine(toDoubles(x), toDoubles(dense.weight().array()),
                    toDoubles(dense.bias().array()), B, IN, OUT);

            assertThat(y).hasSize(B * OUT);
            for (int b = 0; b < B; b++) {
                for (int o = 0; o < OUT; o++) {
                    assertThat(y[b * OUT + o]).as("y[%d][%d]", b, o).isCloseTo(expected[b][o], within(1e-5));
                }
            }
            // Frozen changes nothing in the forward value.
            assertThat(toDoubles(dense.forward(x, true))).containsExactly(y);
        }
    }

    @Test
    void shapesAndInitialisation() {
        try (NDManager m = NDManager.newBaseManager()) {
            double r = 0.05;
            Dense dense = new Dense(m, "t", 30, 20, r);
            assertThat(dense.weight().array().getShape()).isEqualTo(new Shape(20, 30));
            assertThat(dense.bias().array().getShape()).isEqualTo(new Shape(20));
            assertThat(dense.in()).isEqualTo(30);
            assertThat(dense.out()).isEqualTo(20);
            assertThat(dense.parameterCount()).isEqualTo(30 * 20 + 20);
            assertThat(dense.params()).extracting(Param::name).containsExactly("t.weight", "t.bias");

            double[] w = toDoubles(dense.weight().array());
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double sum = 0;
            for (double v : w) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(r);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            // 600 draws of U(−r, r): the extremes come close to ±r and the mean near 0
            // (s.e. of the mean r/√3/√600 ≈ 0.0012; 5 s.e. tolerance).
            assertThat(max).isGreaterThan(0.9 * r);
            assertThat(min).isLessThan(-0.9 * r);
            assertThat(sum / w.length).isCloseTo(0, within(5 * r / Math.sqrt(3) / Math.sqrt(w.length)));
            assertThat(toDoubles(dense.bias().array())).containsOnly(0.0);
        }
    }

    @Test
    void unfrozenLayerReceivesTheClosedFormGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Dense dense = new Dense(m, "t", IN, OUT, 0.5);
            NDArray x = m.randomNormal(new Shape(B, IN));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(dense.forward(x, false).sum());
            }
            // d Σ y / dW[o][i] = Σ_b x[b][i]; d Σ y / db[o] = B.
            double[] xs = toDoubles(x);
            double[] gw = grad(dense.weight().array());
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < IN; i++) {
                    double colSum = 0;
                    for (int b = 0; b < B; b++) {
                        colSum += xs[b * IN + i];
                    }
                    assertThat(gw[o * IN + i]).isCloseTo(colSum, within(1e-5));
                }
            }
            assertThat(grad(dense.bias().array())).containsOnly((double) B);
        }
    }

    @Test
    void frozenLayerGivesNoGradientToItsParametersButPassesItToTheInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            Dense dense = new Dense(m, "t", IN, OUT, 0.5);
            NDArray x = m.randomNormal(new Shape(B, IN));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(dense.forward(x, true).sum());
            }
            assertThat(grad(dense.weight().array())).containsOnly(0.0);
            assertThat(grad(dense.bias().array())).containsOnly(0.0);
            // d Σ y / dx[b][i] = Σ_o W[o][i], for every row b.
            double[] w = toDoubles(dense.weight().array());
            double[] gx = grad(x);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < IN; i++) {
                    double s = 0;
                    for (int o = 0; o < OUT; o++) {
                        s += w[o * IN + i];
                    }
                    assertThat(gx[b * IN + i]).isCloseTo(s, within(1e-5));
                }
            }
        }
    }
}
