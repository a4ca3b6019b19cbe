package dev.gantry.nn;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm on [B, C, H, W] against torch's BatchNorm2d computed in doubles (per-channel statistics
 * over B·H·W values, biased variance for normalising, unbiased variance into the running average,
 * momentum 0.1, eps 1e-5); and the [B, features] path against the same computation over the batch.
 */
class BatchNorm2dTest {

    private static final double EPS = 1e-5;
    private static final int B = 3;
    private static final int C = 4;
    private static final int H = 5;
    private static final int W = 3;

    private static int at(int b, int c, int i, int j) {
        return ((b * C + c) * H + i) * W + j;
    }

    /** Per-channel mean and biased variance over batch and space. */
    private static double[][] channelStats(double[] x) {
        double[] mean = new double[C];
        double[] var = new double[C];
        int n = B * H * W;
        for (int c = 0; c < C; c++) {
            double s = 0;
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        s += x[at(b, c, i, j)];
                    }
                }
            }
            mean[c] = s / n;
            double q = 0;
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double d = x[at(b, c, i, j)] - mean[c];
                        q += d * d;
                    }
                }
            }
            var[c] = q / n;
        }
        return new double[][] {mean, var};
    }

    private static NDArray input(NDManager m) {
        // Channels with different offsets and scales, so per-channel (not global) statistics matter.
        NDArray x = m.randomNormal(new Shape(B, C, H, W));
        NDArray scale = m.create(new float[] {0.5f, 2f, 1f, 3f}).reshape(1, C, 1, 1);
        NDArray shift = m.create(new float[] {1f, -2f, 0f, 5f}).reshape(1, C, 1, 1);
        return x.mul(scale).add(shift);
    }

    @Test
    void trainingPassNormalisesEachChannelAndUpdatesTheRunningStatisticsAsTorch() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, "g.bn", C);
            int n = B * H * W;
            double[] runMean = new double[C];
            double[] runVar = {1, 1, 1, 1};
            for (int step = 0; step < 3; step++) {
                NDArray x = input(m);
                double[] xs = toDoubles(x);
                double[][] st = channelStats(xs);
                double[] y = toDoubles(bn.forward(x, true, false));
                assertThat(y).hasSize(xs.length);

                // gamma = 1, beta = 0: the output is the normalised input, mean 0, biased variance ≈ 1.
                double[][] ys = channelStats(y);
                for (int c = 0; c < C; c++) {
                    assertThat(ys[0][c]).as("mean of channel %d", c).isCloseTo(0, within(1e-5));
                    assertThat(ys[1][c]).as("variance of channel %d", c)
                            .isCloseTo(st[1][c] / (st[1][c] + EPS), within(1e-4));
                }
                for (int idx = 0; idx < xs.length; idx++) {
                    int c = (idx / (H * W)) % C;
                    assertThat(y[idx]).isCloseTo((xs[idx] - st[0][c]) / Math.sqrt(st[1][c] + EPS), within(1e-4));
                }

                for (int c = 0; c < C; c++) {
                    runMean[c] = 0.9 * runMean[c] + 0.1 * st[0][c];
                    runVar[c] = 0.9 * runVar[c] + 0.1 * st[1][c] * n / (n - 1);
                }
                assertThat(toDoubles(bn.buffers().get(0))).as("running mean after %d steps", step + 1)
                        .containsExactly(runMean, within(1e-5));
                assertThat(toDoubles(bn.buffers().get(1))).as("running var after %d steps", step + 1)
                        .containsExactly(runVar, within(1e-4));
                assertThat(bn.buffers().get(0).getShape()).isEqualTo(new Shape(C));
            }
        }
    }

    @Test
    void gammaAndBetaAreAppliedPerChannelAndReceiveGradients() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, "g.bn", C);
            double[] gamma = {1.5, -0.5, 2, 0.25};
            double[] beta = {0.1, 0.2, -0.3, 4};
            bn.params().get(0).array().set(new float[] {1.5f, -0.5f, 2f, 0.25f});
            bn.params().get(1).array().set(new float[] {0.1f, 0.2f, -0.3f, 4f});
            NDArray x = input(m);
            double[] xs = toDoubles(x);
            double[][] st = channelStats(xs);
            double[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = bn.forward(x, true, false);
                y = toDoubles(out);
                gc.backward(out.sum());
            }
            for (int idx = 0; idx < xs.length; idx++) {
                int c = (idx / (H * W)) % C;
                double expected = gamma[c] * (xs[idx] - st[0][c]) / Math.sqrt(st[1][c] + EPS) + beta[c];
                assertThat(y[idx]).isCloseTo(expected, within(1e-4));
            }
            // ∂Σy/∂beta[c] = B·H·W; ∂Σy/∂gamma[c] = Σ normalised = 0.
            assertThat(grad(bn.params().get(1).array())).containsOnly((double) B * H * W);
            assertThat(grad(bn.params().get(0).array())).containsExactly(new double[C], within(1e-3));
        }
    }

    @Test
    void evaluationPassUsesTheRunningStatisticsAndLeavesThemAlone() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, "g.bn", C);
            bn.forward(input(m), true, false);
            bn.forward(input(m), true, false);
            double[] rm = toDoubles(bn.buffers().get(0));
            double[] rv = toDoubles(bn.buffers().get(1));
            bn.params().get(0).array().set(new float[] {2f, 1f, 0.5f, -1f});
            bn.params().get(1).array().set(new float[] {0f, 1f, 2f, 3f});
            double[] gamma = {2, 1, 0.5, -1};
            double[] beta = {0, 1, 2, 3};

            int before = ((BaseNDManager) m).getManagedArrays().size();
            for (boolean frozen : new boolean[] {false, true}) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = input(step);
                    double[] xs = toDoubles(x);
                    double[] y = toDoubles(bn.forward(x, false, frozen));
                    for (int idx = 0; idx < xs.length; idx++) {
                        int c = (idx / (H * W)) % C;
                        double expected = gamma[c] * (xs[idx] - rm[c]) / Math.sqrt(rv[c] + EPS) + beta[c];
                        assertThat(y[idx]).isCloseTo(expected, within(1e-4));
                    }
                    bn.forward(x, true, frozen);     // a training pass in the step too: nothing left behind
                }
                bn.buffers().get(0).set(toFloats(rm));
                bn.buffers().get(1).set(toFloats(rv));
            }
            assertThat(((BaseNDManager) m).getManagedArrays().size()).as("arrays left on the layer's manager")
                    .isEqualTo(before);
            assertThat(toDoubles(bn.buffers().get(0))).containsExactly(rm, within(0.0));
        }
    }

    /** The [B, features] path: statistics over the batch axis only, as before. */
    @Test
    void featurePathIsUnchanged() {
        Engine.getInstance().setRandomSeed(12);
        int batch = 6;
        int features = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, "g.bn", features);
            NDArray x = m.randomNormal(new Shape(batch, features)).mul(m.create(new float[] {1f, 3f, 0.5f}));
            double[] xs = toDoubles(x);
            double[] y = toDoubles(bn.forward(x, true, false));
            double[] mean = new double[features];
            double[] var = new double[features];
            for (int f = 0; f < features; f++) {
                for (int b = 0; b < batch; b++) {
                    mean[f] += xs[b * features + f] / batch;
                }
                for (int b = 0; b < batch; b++) {
                    var[f] += Math.pow(xs[b * features + f] - mean[f], 2) / batch;
                }
            }
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < features; f++) {
                    assertThat(y[b * features + f])
                            .isCloseTo((xs[b * features + f] - mean[f]) / Math.sqrt(var[f] + EPS), within(1e-4));
                }
            }
            double[] rm = new double[features];
            double[] rv = new double[features];
            for (int f = 0; f < features; f++) {
                rm[f] = 0.1 * mean[f];
                rv[f] = 0.9 + 0.1 * var[f] * batch / (batch - 1);
            }
            assertThat(toDoubles(bn.buffers().get(0))).containsExactly(rm, within(1e-5));
            assertThat(toDoubles(bn.buffers().get(1))).containsExactly(rv, within(1e-5));

            double[] ye = toDoubles(bn.forward(x, false, false));
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < features; f++) {
                    assertThat(ye[b * features + f])
                            .isCloseTo((xs[b * features + f] - rm[f]) / Math.sqrt(rv[f] + EPS), within(1e-4));
                }
            }
        }
    }

    /** The [B, features] path gives, bit for bit, what its original operations give (copied here verbatim). */
    @Test
    void featurePathIsBitForBitTheOriginalSequenceOfOperations() {
        Engine.getInstance().setRandomSeed(14);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, "g.bn", 5);
            bn.params().get(0).array().set(new float[] {1.1f, 0.9f, -0.7f, 2f, 0.3f});
            bn.params().get(1).array().set(new float[] {0.5f, -0.5f, 0f, 1f, 0.25f});
            NDArray gamma = bn.params().get(0).array().duplicate();
            NDArray beta = bn.params().get(1).array().duplicate();
            NDArray runningMean = m.zeros(new Shape(5));
            NDArray runningVar = m.ones(new Shape(5));
            for (int step = 0; step < 3; step++) {
                NDArray x = m.randomNormal(new Shape(7, 5));
                boolean training = step < 2;
                float[] actual = bn.forward(x, training, false).toFloatArray();

                NDArray mean;
                NDArray var;
                if (training) {
                    mean = x.mean(new int[] {0});
                    var = x.sub(mean).square().mean(new int[] {0});
                    long b = x.getShape().get(0);
                    float unbias = b > 1 ? (float) b / (b - 1) : 1f;
                    NDArray mm = mean.stopGradient();
                    NDArray v = var.stopGradient().mul(unbias);
                    runningMean.muli(1 - 0.1f).addi(mm.mul(0.1f));
                    runningVar.muli(1 - 0.1f).addi(v.mul(0.1f));
                } else {
                    mean = runningMean;
                    var = runningVar;
                }
                NDArray normalised = x.sub(mean).div(x.getManager().create(1e-5f).add(var).sqrt());
                float[] expected = normalised.mul(gamma).add(beta).toFloatArray();

                assertThat(actual).as("step %d", step).containsExactly(expected);
                assertThat(bn.buffers().get(0).toFloatArray()).containsExactly(runningMean.toFloatArray());
                assertThat(bn.buffers().get(1).toFloatArray()).containsExactly(runningVar.toFloatArray());
            }
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
