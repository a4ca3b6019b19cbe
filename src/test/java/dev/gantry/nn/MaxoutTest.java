package dev.gantry.nn;

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

/** Maxout against an independent computation: unit j is the max over columns j·pieces … j·pieces+pieces−1. */
class MaxoutTest {

    private static final int IN = 6;
    private static final int UNITS = 4;
    private static final int PIECES = 3;

    @Test
    void outputIsTheMaxOverEachUnitsGroupOfColumns() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            Maxout maxout = new Maxout(m, "mx", IN, UNITS, PIECES, 1.0);
            Param w = maxout.params().get(0);
            Param b = maxout.params().get(1);
            b.array().set(new float[] {0.1f, -0.2f, 0.3f, 0.0f, 0.5f, -0.5f, 0.2f, 0.2f, -0.1f, 0.4f, -0.3f, 0.05f});
            int batch = 5;
            NDArray x = m.randomNormal(new Shape(batch, IN));

            double[] y = toDoubles(maxout.forward(x, false));
            double[][] z = NdTestSupport.affine(toDoubles(x), toDoubles(w.array()), toDoubles(b.array()),
                    batch, IN, UNITS * PIECES);

            assertThat(maxout.forward(x, false).getShape()).isEqualTo(new Shape(batch, UNITS));
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < UNITS; j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < PIECES; k++) {
                        best = Math.max(best, z[r][j * PIECES + k]);
                    }
                    assertThat(y[r * UNITS + j]).as("y[%d][%d]", r, j).isCloseTo(best, within(1e-5));
                }
            }
            assertThat(maxout.units()).isEqualTo(UNITS);
            assertThat(maxout.pieces()).isEqualTo(PIECES);
            assertThat(maxout.parameterCount()).isEqualTo((long) IN * UNITS * PIECES + UNITS * PIECES);
            assertThat(w.array().getShape()).isEqualTo(new Shape(UNITS * PIECES, IN));
        }
    }

    @Test
    void gradientReachesOnlyTheWinningPieceOfEachUnit() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            Maxout maxout = new Maxout(m, "mx", IN, UNITS, PIECES, 1.0);
            Param w = maxout.params().get(0);
            Param b = maxout.params().get(1);
            NDArray x = m.randomNormal(new Shape(1, IN));   // a single example
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(maxout.forward(x, false).sum());
            }
            double[] xs = toDoubles(x);
            double[][] z = NdTestSupport.affine(xs, toDoubles(w.array()), toDoubles(b.array()), 1, IN, UNITS * PIECES);
            double[] gw = grad(w.array());
            double[] gb = grad(b.array());
            for (int j = 0; j < UNITS; j++) {
                int argmax = j * PIECES;
                for (int k = 1; k < PIECES; k++) {
                    if (z[0][j * PIECES + k] > z[0][argmax]) {
                        argmax = j * PIECES + k;
                    }
                }
                for (int k = 0; k < PIECES; k++) {
                    int row = j * PIECES + k;
                    for (int i = 0; i < IN; i++) {
                        // d y_j / d W[row][i] = x_i for the winning row, 0 for the others.
                        double expected = row == argmax ? xs[i] : 0.0;
                        assertThat(gw[row * IN + i]).as("dW[%d][%d] (unit %d, argmax row %d)", row, i, j, argmax)
                                .isCloseTo(expected, within(1e-6));
                    }
                    assertThat(gb[row]).as("db[%d]", row).isEqualTo(row == argmax ? 1.0 : 0.0);
                }
            }
        }
    }
}
