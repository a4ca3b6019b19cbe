package dev.gantry.nn;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
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
 * The transposed convolution (both formulations) against its defining scatter computed in doubles,
 * out[b,o,i·s−p+u, j·s−p+v] += x[b,c,i,j]·w[c,o,u,v]; its autograd gradients against closed forms;
 * the layer's shapes, initialisation and argument checks.
 */
class ConvTranspose2dTest {

    /** One geometry: batch, channels in/out, input H×W, kernel, stride, padding, output padding. */
    private record Case(int b, int c, int o, int h, int w, int k, int s, int p, int op) {
        int outH() {
            return (h - 1) * s - 2 * p + k + op;
        }

        int outW() {
            return (w - 1) * s - 2 * p + k + op;
        }
    }

    /** The definition: scatter each input pixel through the kernel, crop p on each side. */
    static double[] scatter(double[] x, double[] wt, double[] bias, Case g) {
        int oh = g.outH();
        int ow = g.outW();
        double[] out = new double[g.b() * g.o() * oh * ow];
        for (int b = 0; b < g.b(); b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        out[((b * g.o() + o) * oh + y) * ow + z] = bias == null ? 0 : bias[o];
                    }
                }
                for (int c = 0; c < g.c(); c++) {
                    for (int i = 0; i < g.h(); i++) {
                        for (int j = 0; j < g.w(); j++) {
                            double xv = x[((b * g.c() + c) * g.h() + i) * g.w() + j];
                            for (int u = 0; u < g.k(); u++) {
                                for (int v = 0; v < g.k(); v++) {
                                    int y = i * g.s() - g.p() + u;
                                    int z = j * g.s() - g.p() + v;
                                    if (y >= 0 && y < oh && z >= 0 && z < ow) {
                                        out[((b * g.o() + o) * oh + y) * ow + z] +=
                                                xv * wt[((c * g.o() + o) * g.k() + u) * g.k() + v];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] actual, double[] expected, double tol, String what) {
        assertThat(actual).as(what + " size").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(tol));
        }
    }

    @ParameterizedTest(name = "B{0} C{1} O{2} {3}x{4} k{5} s{6} p{7} op{8}")
    @CsvSource({
        "2, 3, 2, 4, 4, 4, 2, 1, 0",     // DCGAN's layer
        "2, 2, 3, 5, 3, 5, 2, 2, 1",
        "3, 2, 2, 5, 4, 3, 1, 1, 0",
        "1, 3, 2, 3, 5, 4, 2, 0, 1",
        "2, 2, 2, 3, 3, 3, 2, 1, 1",
        "1, 2, 3, 4, 3, 3, 3, 0, 2",
        "2, 1, 2, 3, 2, 2, 3, 1, 0",     // stride above the kernel: some outputs see no tap
        "1, 2, 2, 1, 1, 4, 1, 0, 0",
        "2, 3, 1, 6, 5, 4, 2, 3, 1",     // p = k−1
        "1, 2, 2, 4, 4, 1, 2, 0, 1",     // 1×1 kernel
    })
    void bothFormulationsEqualTheScatterDefinition(int b, int c, int o, int h, int w, int k, int s, int p, int op) {
        Case g = new Case(b, c, o, h, w, k, s, p, op);
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(b, c, h, w));
            NDArray wt = m.randomNormal(new Shape(c, o, k, k));
            NDArray bias = m.randomNormal(new Shape(o));
            double[] expected = scatter(toDoubles(x), toDoubles(wt), toDoubles(bias), g);

            NDArray y = ConvTranspose2d.convTranspose2d(x, wt, bias, s, p, op);
            assertThat(y.getShape()).isEqualTo(new Shape(b, o, g.outH(), g.outW()));
            assertClose(toDoubles(y), expected, 1e-5, "phase");

            NDArray yd = ConvTranspose2d.convTranspose2dDilated(x, wt, bias, s, p, op);
            assertThat(yd.getShape()).isEqualTo(new Shape(b, o, g.outH(), g.outW()));
            assertClose(toDoubles(yd), expected, 1e-5, "dilated");

            double[] noBias = scatter(toDoubles(x), toDoubles(wt), null, g);
            assertClose(toDoubles(ConvTranspose2d.convTranspose2d(x, wt, null, s, p, op)), noBias, 1e-5, "no bias");
        }
    }

    /**
     * L = Σ out·r. Closed forms: ∂L/∂x[b,c,i,j] = Σ_{o,u,v} r[b,o,i·s−p+u,j·s−p+v]·w[c,o,u,v] (a
     * strided convolution of r with the same weight), ∂L/∂w[c,o,u,v] = Σ_{b,i,j} x[b,c,i,j]·r[b,o,i·s−p+u,j·s−p+v],
     * ∂L/∂bias[o] = Σ r[b,o,·,·].
     */
    @ParameterizedTest(name = "k{5} s{6} p{7} op{8}")
    @CsvSource({
        "2, 3, 2, 4, 4, 4, 2, 1, 0",
        "2, 2, 3, 5, 3, 5, 2, 2, 1",
        "1, 2, 2, 3, 4, 3, 1, 1, 0",
        "2, 2, 2, 3, 5, 4, 2, 0, 1",
        "1, 2, 2, 3, 3, 2, 3, 1, 2",
    })
    void autogradGradientsEqualTheClosedForms(int b, int c, int o, int h, int w, int k, int s, int p, int op) {
        Case g = new Case(b, c, o, h, w, k, s, p, op);
        Engine.getInstance().setRandomSeed(9);
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean dilated : new boolean[] {false, true}) {
                NDArray x = m.randomNormal(new Shape(b, c, h, w));
                NDArray wt = m.randomNormal(new Shape(c, o, k, k));
                NDArray bias = m.randomNormal(new Shape(o));
                NDArray r = m.randomNormal(new Shape(b, o, g.outH(), g.outW()));
                x.setRequiresGradient(true);
                wt.setRequiresGradient(true);
                bias.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = dilated
                            ? ConvTranspose2d.convTranspose2dDilated(x, wt, bias, s, p, op)
                            : ConvTranspose2d.convTranspose2d(x, wt, bias, s, p, op);
                    gc.backward(y.mul(r).sum());
                }
                double[] xs = toDoubles(x);
                double[] ws = toDoubles(wt);
                double[] rs = toDoubles(r);
                int oh = g.outH();
                int ow = g.outW();
                double[] gx = new double[xs.length];
                double[] gw = new double[ws.length];
                double[] gb = new double[o];
                for (int bb = 0; bb < b; bb++) {
                    for (int oo = 0; oo < o; oo++) {
                        for (int y = 0; y < oh; y++) {
                            for (int z = 0; z < ow; z++) {
                                gb[oo] += rs[((bb * o + oo) * oh + y) * ow + z];
                            }
                        }
                        for (int cc = 0; cc < c; cc++) {
                            for (int i = 0; i < h; i++) {
                                for (int j = 0; j < w; j++) {
                                    for (int u = 0; u < k; u++) {
                                        for (int v = 0; v < k; v++) {
                                            int y = i * s - p + u;
                                            int z = j * s - p + v;
                                            if (y < 0 || y >= oh || z < 0 || z >= ow) {
                                                continue;
                                            }
                                            double rv = rs[((bb * o + oo) * oh + y) * ow + z];
                                            int xi = ((bb * c + cc) * h + i) * w + j;
                                            int wi = ((cc * o + oo) * k + u) * k + v;
                                            gx[xi] += rv * ws[wi];
                                            gw[wi] += rv * xs[xi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                String f = dilated ? "dilated " : "phase ";
                assertClose(grad(x), gx, 1e-4, f + "∂/∂x");
                assertClose(grad(wt), gw, 1e-4, f + "∂/∂w");
                assertClose(grad(bias), gb, 1e-4, f + "∂/∂bias");
            }
        }
    }

    @Test
    void layerShapesInitialisationAndForward() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            ConvTranspose2d layer = new ConvTranspose2d(m, "g.up1", 16, 8, 4, 2, 1, 0, 0.02);
            assertThat(layer.weight().array().getShape()).isEqualTo(new Shape(16, 8, 4, 4));
            assertThat(layer.bias().array().getShape()).isEqualTo(new Shape(8));
            assertThat(layer.params()).extracting(Param::name).containsExactly("g.up1.weight", "g.up1.bias");
            assertThat(layer.parameterCount()).isEqualTo(16 * 8 * 16 + 8);
            assertThat(List.of(layer.inChannels(), layer.outChannels(), layer.kernel(), layer.stride(),
                    layer.padding(), layer.outputPadding())).containsExactly(16, 8, 4, 2, 1, 0);
            assertThat(toDoubles(layer.bias().array())).containsOnly(0.0);

            // 2048 draws of N(0, 0.02²): mean within 5 s.e., standard deviation within 10%.
            double[] w = toDoubles(layer.weight().array());
            double sum = 0;
            double sq = 0;
            for (double v : w) {
                sum += v;
                sq += v * v;
            }
            assertThat(sum / w.length).isCloseTo(0, within(5 * 0.02 / Math.sqrt(w.length)));
            assertThat(Math.sqrt(sq / w.length)).isCloseTo(0.02, within(0.002));

            // DCGAN's doubling: 4 → 8 → 16; torch's formula with output padding.
            assertThat(layer.outSize(4)).isEqualTo(8);
            assertThat(layer.outSize(7)).isEqualTo(14);
            assertThat(new ConvTranspose2d(m, "t", 1, 1, 5, 2, 2, 1, 0.02).outSize(7)).isEqualTo(14);
            assertThat(new ConvTranspose2d(m, "t", 1, 1, 3, 1, 1, 0, 0.02).outSize(9)).isEqualTo(9);
            assertThat(new ConvTranspose2d(m, "t", 1, 1, 4, 1, 0, 0, 0.02).outSize(1)).isEqualTo(4);

            layer.bias().array().set(toFloats(m.randomNormal(new Shape(8))));
            NDArray x = m.randomNormal(new Shape(3, 16, 5, 4));
            NDArray y = layer.forward(x, false);
            assertThat(y.getShape()).isEqualTo(new Shape(3, 8, layer.outSize(5), layer.outSize(4)));
            double[] expected = scatter(toDoubles(x), toDoubles(layer.weight().array()), toDoubles(layer.bias().array()),
                    new Case(3, 16, 8, 5, 4, 4, 2, 1, 0));
            assertClose(toDoubles(y), expected, 1e-5, "layer");
            assertThat(toDoubles(layer.forward(x, true))).containsExactly(toDoubles(y));
        }
    }

    @Test
    void drawsTheWeightBeforeCreatingTheBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(21);
            ConvTranspose2d layer = new ConvTranspose2d(m, "t", 3, 2, 4, 2, 1, 0, 0.5);
            Engine.getInstance().setRandomSeed(21);
            NDArray w = m.randomNormal(0f, 0.5f, new Shape(3, 2, 4, 4), DataType.FLOAT32);
            assertThat(toDoubles(layer.weight().array())).containsExactly(toDoubles(w));
        }
    }

    @Test
    void frozenLayerPassesGradientToTheInputOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvTranspose2d layer = new ConvTranspose2d(m, "t", 2, 3, 4, 2, 1, 0, 0.3);
            NDArray x = m.randomNormal(new Shape(2, 2, 3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(layer.forward(x, true).sum());
            }
            assertThat(grad(layer.weight().array())).containsOnly(0.0);
            assertThat(grad(layer.bias().array())).containsOnly(0.0);
            assertThat(java.util.Arrays.stream(grad(x)).anyMatch(v -> v != 0.0)).isTrue();

            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(layer.forward(x, false).sum());
            }
            // ∂Σy/∂bias[o] = B·H'·W'.
            assertThat(grad(layer.bias().array())).containsOnly(2.0 * 6 * 6);
            assertThat(java.util.Arrays.stream(grad(layer.weight().array())).anyMatch(v -> v != 0.0)).isTrue();
        }
    }

    @Test
    void forwardAndBackwardLeaveNothingOnTheParametersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvTranspose2d layer = new ConvTranspose2d(m, "t", 2, 3, 5, 2, 2, 1, 0.3);
            int before = managed(m);
            for (int i = 0; i < 20; i++) {
                for (boolean frozen : new boolean[] {false, true}) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray x = step.randomNormal(new Shape(2, 2, 3, 3));
                        x.setRequiresGradient(true);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            gc.backward(layer.forward(x, frozen).sum());
                        }
                        ConvTranspose2d.convTranspose2dDilated(x, layer.weight().array(), layer.bias().array(), 2, 2, 1);
                    }
                }
            }
            assertThat(managed(m)).isEqualTo(before);
        }
    }

    @Test
    void rejectsGeometriesOutsideTorchsRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 2, 3, 3));
            NDArray w = m.ones(new Shape(2, 1, 3, 3));
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, null, 2, 3, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, null, 2, -1, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, null, 2, 1, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output_padding");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, null, 1, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output_padding");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, null, 2, 1, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output_padding");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2dDilated(x, w, null, 2, 3, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2dDilated(x, w, null, 2, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, m.ones(new Shape(3, 1, 3, 3)), null, 2, 1, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(x, w, m.ones(new Shape(2)), 2, 1, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
            assertThatThrownBy(() -> ConvTranspose2d.convTranspose2d(m.ones(new Shape(1, 2, 1, 1)), w, null, 1, 2, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty output");
            assertThatThrownBy(() -> new ConvTranspose2d(m, "t", 1, 1, 4, 2, 1, 2, 0.02))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ConvTranspose2d(m, "t", 1, 1, 4, 2, 4, 0, 0.02))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static int managed(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }

    private static float[] toFloats(NDArray a) {
        return a.toFloatArray();
    }
}
