package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Test helpers: reading and clearing gradients (they accumulate across backward calls on this engine),
 * and reference computations in plain Java doubles to compare the layers against.
 */
public final class NdTestSupport {

    private NdTestSupport() {}

    /** The gradient of {@code a} as doubles (all zeros where no gradient has reached it). */
    public static double[] grad(NDArray a) {
        try (NDArray g = a.getGradient()) {
            float[] f = g.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
    }

    public static void zeroGrad(NDArray a) {
        JniUtils.zeroGrad((PtNDArray) a);
    }

    public static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** y[b][o] = Σ_i x[b][i]·W[o][i] + bias[o], with W row-major [out, in] (torch's linear). */
    public static double[][] affine(double[] x, double[] w, double[] bias, int batch, int in, int out) {
        double[][] y = new double[batch][out];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[b * in + i] * w[o * in + i];
                }
                y[b][o] = s;
            }
        }
        return y;
    }

    /** Maxout in doubles: unit j is the max over columns j·pieces … j·pieces+pieces−1 of the affine map. */
    public static double[][] maxout(double[] x, double[] w, double[] bias, int batch, int in, int units, int pieces) {
        double[][] z = affine(x, w, bias, batch, in, units * pieces);
        double[][] y = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < pieces; k++) {
                    best = Math.max(best, z[b][j * pieces + k]);
                }
                y[b][j] = best;
            }
        }
        return y;
    }

    /** Row-major flattening of a [rows][cols] array. */
    public static double[] flat(double[][] a) {
        double[] out = new double[a.length * a[0].length];
        for (int r = 0; r < a.length; r++) {
            System.arraycopy(a[r], 0, out, r * a[0].length, a[0].length);
        }
        return out;
    }

    /**
     * Asserts that a hand-written input gradient equals autograd's ∂(Σ logits)/∂x, element by
     * element within 1e-4 of the largest, for logits where row i depends on image i only.
     */
    public static void assertInputGradientIsAutograds(float[] manual, NDArray x, java.util.function.Function<NDArray, NDArray> logits) {
        NDArray xr = x.duplicate();
        xr.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            gc.backward(logits.apply(xr).sum());
        }
        float[] auto = xr.getGradient().toFloatArray();
        org.assertj.core.api.Assertions.assertThat(manual).hasSameSizeAs(auto);
        double scale = 0;
        for (float a : auto) scale = Math.max(scale, Math.abs(a));
        org.assertj.core.api.Assertions.assertThat(scale).isPositive();
        for (int i = 0; i < auto.length; i++) {
            org.assertj.core.api.Assertions.assertThat((double) manual[i]).as("element %d", i)
                    .isCloseTo(auto[i], org.assertj.core.data.Offset.offset(1e-4 * scale));
        }
    }
}
