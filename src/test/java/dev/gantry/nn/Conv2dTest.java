package dev.gantry.nn;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static dev.gantry.nn.NdTestSupport.zeroGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2d against the cross-correlation computed in doubles; its hand-written input gradient against
 * autograd's; that gradient's own differentiability in the weight; shapes and initialisation.
 */
class Conv2dTest {

    /** y[b,o,i,j] = bias[o] + Σ_{c,u,v} x[b,c,i·s−p+u, j·s−p+v]·W[o,c,u,v], zero outside the input. */
    static double[] correlate(double[] x, double[] w, double[] bias, int batch, int in, int out, int h, int wd,
            int k, int s, int p) {
        int oh = Math.floorDiv(h + 2 * p - k, s) + 1;
        int ow = Math.floorDiv(wd + 2 * p - k, s) + 1;
        double[] y = new double[batch * out * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias[o];
                        for (int c = 0; c < in; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int r = i * s - p + u;
                                    int q = j * s - p + v;
                                    if (r >= 0 && r < h && q >= 0 && q < wd) {
                                        acc += x[((b * in + c) * h + r) * wd + q] * w[((o * in + c) * k + u) * k + v];
                                    }
                                }
                            }
                        }
                        y[((b * out + o) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    private static void assertClose(double[] actual, double[] expected, double tol, String what) {
        assertThat(actual).as(what + " size").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(tol));
        }
    }

    @ParameterizedTest(name = "{3}x{4} k{5} s{6} p{7}")
    @CsvSource({
        "2, 3, 4, 8, 8, 4, 2, 1",      // DCGAN's discriminator layer
        "2, 2, 3, 7, 5, 4, 2, 1",
        "1, 3, 2, 5, 6, 3, 1, 1",
        "3, 2, 2, 9, 7, 5, 2, 2",
        "1, 2, 2, 6, 6, 3, 3, 0",
    })
    void forwardEqualsTheCrossCorrelation(int batch, int in, int out, int h, int w, int k, int s, int p) {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, "d.conv", in, out, k, s, p, 0.5);
            conv.bias().array().set(m.randomNormal(new Shape(out)).toFloatArray());
            NDArray x = m.randomNormal(new Shape(batch, in, h, w));
            NDArray y = conv.forward(x, false);
            assertThat(y.getShape()).isEqualTo(new Shape(batch, out, conv.outSize(h), conv.outSize(w)));
            double[] expected = correlate(toDoubles(x), toDoubles(conv.weight().array()), toDoubles(conv.bias().array()),
                    batch, in, out, h, w, k, s, p);
            assertClose(toDoubles(y), expected, 1e-5, "y");
            assertThat(toDoubles(conv.forward(x, true))).containsExactly(toDoubles(y));
        }
    }

    /** inputGradient(g) = ∂Σ(y·g)/∂x as autograd computes it, for strides 1 and 2, odd and even sizes. */
    @ParameterizedTest(name = "{3}x{4} k{5} s{6} p{7}")
    @CsvSource({
        "2, 3, 4, 8, 8, 4, 2, 1",
        "2, 3, 4, 7, 7, 4, 2, 1",      // odd input: the last row is never read
        "2, 2, 3, 7, 6, 4, 2, 1",      // output_padding differs between the axes
        "1, 3, 2, 5, 6, 3, 1, 1",
        "2, 2, 2, 9, 8, 5, 2, 2",
        "1, 2, 2, 8, 7, 3, 2, 0",
        "1, 2, 3, 10, 9, 3, 3, 1",
        "2, 2, 2, 6, 5, 3, 1, 0",
    })
    void inputGradientEqualsAutograd(int batch, int in, int out, int h, int w, int k, int s, int p) {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, "d.conv", in, out, k, s, p, 0.5);
            NDArray x = m.randomNormal(new Shape(batch, in, h, w));
            NDArray g = m.randomNormal(new Shape(batch, out, conv.outSize(h), conv.outSize(w)));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(conv.forward(x, true).mul(g).sum());
            }
            double[] auto = grad(x);
            NDArray manual = conv.inputGradient(g, h, w);
            assertThat(manual.getShape()).isEqualTo(new Shape(batch, in, h, w));
            assertClose(toDoubles(manual), auto, 1e-5, "∂/∂x");
        }
    }

    /**
     * The hand-written gradient is an ordinary expression of the weight: backpropagating
     * Σ inputGradient(g)·r gives ∂/∂W[o,c,u,v] = Σ_{b,i,j} g[b,o,i,j]·r[b,c,i·s−p+u,j·s−p+v]
     * (the weight gradient of a convolution of r, with output gradient g).
     */
    @Test
    void inputGradientIsDifferentiableInTheWeight() {
        Engine.getInstance().setRandomSeed(13);
        int batch = 2, in = 2, out = 3, h = 7, w = 6, k = 4, s = 2, p = 1;
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, "d.conv", in, out, k, s, p, 0.5);
            int oh = conv.outSize(h);
            int ow = conv.outSize(w);
            NDArray g = m.randomNormal(new Shape(batch, out, oh, ow));
            NDArray r = m.randomNormal(new Shape(batch, in, h, w));
            zeroGrad(conv.weight().array());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(conv.inputGradient(g, h, w).mul(r).sum());
            }
            double[] gs = toDoubles(g);
            double[] rs = toDoubles(r);
            double[] expected = new double[out * in * k * k];
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    for (int c = 0; c < in; c++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                double acc = 0;
                                for (int i = 0; i < oh; i++) {
                                    for (int j = 0; j < ow; j++) {
                                        int y = i * s - p + u;
                                        int z = j * s - p + v;
                                        if (y >= 0 && y < h && z >= 0 && z < w) {
                                            acc += gs[((b * out + o) * oh + i) * ow + j] * rs[((b * in + c) * h + y) * w + z];
                                        }
                                    }
                                }
                                expected[((o * in + c) * k + u) * k + v] += acc;
                            }
                        }
                    }
                }
            }
            assertClose(grad(conv.weight().array()), expected, 1e-4, "∂/∂W");
            assertThat(grad(conv.bias().array())).containsOnly(0.0);
        }
    }

    @Test
    void shapesInitialisationAndDrawOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(17);
            Conv2d conv = new Conv2d(m, "d.c1", 32, 16, 4, 2, 1, 0.02);
            Engine.getInstance().setRandomSeed(17);
            NDArray w = m.randomNormal(0f, 0.02f, new Shape(16, 32, 4, 4), DataType.FLOAT32);
            assertThat(toDoubles(conv.weight().array())).containsExactly(toDoubles(w));
            assertThat(conv.bias().array().getShape()).isEqualTo(new Shape(16));
            assertThat(toDoubles(conv.bias().array())).containsOnly(0.0);
            assertThat(conv.params()).extracting(Param::name).containsExactly("d.c1.weight", "d.c1.bias");
            assertThat(conv.parameterCount()).isEqualTo(16 * 32 * 16 + 16);
            assertThat(List.of(conv.inChannels(), conv.outChannels(), conv.kernel(), conv.stride(), conv.padding()))
                    .containsExactly(32, 16, 4, 2, 1);

            double[] ws = toDoubles(conv.weight().array());
            double sq = 0;
            for (double v : ws) {
                sq += v * v;
            }
            assertThat(Math.sqrt(sq / ws.length)).isCloseTo(0.02, within(0.001));

            assertThat(conv.outSize(64)).isEqualTo(32);
            assertThat(conv.outSize(7)).isEqualTo(3);
            assertThat(new Conv2d(m, "t", 1, 1, 3, 1, 1, 0.02).outSize(5)).isEqualTo(5);
            assertThat(new Conv2d(m, "t", 1, 1, 5, 2, 2, 0.02).outSize(8)).isEqualTo(4);
            assertThat(new Conv2d(m, "t", 1, 1, 4, 1, 0, 0.02).outSize(4)).isEqualTo(1);
        }
    }

    @Test
    void inputGradientRejectsAnInputSizeThatDoesNotGiveTheGradientsSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, "t", 2, 3, 4, 2, 1, 0.02);
            NDArray g = m.ones(new Shape(1, 3, 4, 4));
            assertThat(conv.inputGradient(g, 8, 9).getShape()).isEqualTo(new Shape(1, 2, 8, 9));
            assertThatThrownBy(() -> conv.inputGradient(g, 10, 8)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void passesLeaveNothingOnTheParametersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, "t", 2, 3, 4, 2, 1, 0.3);
            int before = ((BaseNDManager) m).getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                for (boolean frozen : new boolean[] {false, true}) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray x = step.randomNormal(new Shape(2, 2, 7, 7));
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = conv.forward(x, frozen);
                            NDArray gx = conv.inputGradient(step.ones(y.getShape()), 7, 7);
                            gc.backward(y.sum().add(gx.square().sum()));
                        }
                    }
                }
            }
            assertThat(((BaseNDManager) m).getManagedArrays().size()).isEqualTo(before);
        }
    }
}
