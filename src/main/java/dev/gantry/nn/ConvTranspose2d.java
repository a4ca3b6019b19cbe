package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The fractionally-strided ("transposed") convolution of DCGAN's generator (Radford et al., 2016),
 * with the semantics of torch's {@code nn.ConvTranspose2d}: weight [in, out, k, k], output size
 * (H−1)·s − 2p + k + output_padding, defined by the scatter
 * out[b, o, i·s−p+u, j·s−p+v] += x[b, c, i, j]·w[c, o, u, v] (Dumoulin &amp; Visin, 2016, §4).
 *
 * <p>DJL's {@code Conv2dTranspose} is not implemented on the PyTorch engine, so the operation is
 * built from the engine's ordinary (differentiable) stride-1 convolution. Mathematically it is a
 * stride-1 convolution, with the kernel flipped in both spatial axes and its channel axes swapped,
 * over the input with s−1 zeros inserted between its pixels and padded by k−1−p (plus
 * output_padding at the bottom/right); {@link #convTranspose2dDilated} computes exactly that. The
 * layer itself uses the equivalent sub-pixel (phase) decomposition {@link #convTranspose2d}: output
 * pixel t = q·s + r − p only ever meets kernel taps u ≡ r (mod s), so the s² phases are s² stride-1
 * convolutions of the undilated input with sub-kernels of size ⌈k/s⌉, run as one convolution with
 * s²·out output channels and interleaved afterwards (Shi et al., 2016). Same sums, without the
 * multiplications by inserted zeros: about s² times less work.
 *
 * <p>Every array derived in a pass lives on the input's manager, never on the weight's.
 */
public final class ConvTranspose2d implements Module {

    private final Param weight;
    private final Param bias;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;

    /**
     * @param initStd weights are drawn from N(0, initStd²) with the engine's RNG (DCGAN: 0.02); the
     *     weight is drawn before the bias is created, which fixes the draw order
     */
    public ConvTranspose2d(NDManager manager, String name, int inChannels, int outChannels, int kernel, int stride,
            int padding, int outputPadding, double initStd) {
        checkGeometry(kernel, stride, padding, outputPadding);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.weight = new Param(name + ".weight", manager.randomNormal(0f, (float) initStd,
                new Shape(inChannels, outChannels, kernel, kernel), DataType.FLOAT32));
        this.bias = new Param(name + ".bias", manager.zeros(new Shape(outChannels)));
    }

    /** x [B, in, H, W] → [B, out, H', W'] with H' = {@link #outSize}(H). */
    public NDArray forward(NDArray x, boolean frozen) {
        NDManager scope = x.getManager();
        return convTranspose2d(x, weight.use(frozen, scope), bias.use(frozen, scope), stride, padding, outputPadding);
    }

    /** (in−1)·s − 2p + k + output_padding. */
    public int outSize(int in) {
        return (in - 1) * stride - 2 * padding + kernel + outputPadding;
    }

    /**
     * torch's {@code conv_transpose2d(x, weight, bias, stride, padding, output_padding)}, differentiable
     * in x, weight and bias; computed by the phase decomposition (see the class comment).
     *
     * @param x [B, C, H, W]
     * @param weight [C, O, k, k]
     * @param bias [O], or null
     * @return [B, O, (H−1)·s − 2p + k + op, (W−1)·s − 2p + k + op]
     * @throws IllegalArgumentException unless 0 ≤ p ≤ k−1 and 0 ≤ output_padding &lt; s, or on mismatched shapes
     */
    public static NDArray convTranspose2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int outputPadding) {
        return convTranspose2d(x, weight, bias, stride, padding, outputPadding, outputPadding);
    }

    /** As {@link #convTranspose2d(NDArray, NDArray, NDArray, int, int, int)}, with one output_padding per axis. */
    static NDArray convTranspose2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int outputPaddingH, int outputPaddingW) {
        int k = checkArguments(x, weight, bias, stride, padding, outputPaddingH, outputPaddingW);
        NDManager scope = x.getManager();
        int s = stride;
        long batch = x.getShape().get(0);
        long c = x.getShape().get(1);
        long o = weight.getShape().get(1);
        int kk = (k + s - 1) / s;                                      // taps per phase, ⌈k/s⌉
        // Sub-kernels: tap u = m·s + r of phase r, for m < ⌈k/s⌉ (taps beyond k are zero).
        NDArray w = weight;
        if (kk * s != k) {
            w = onScope(w.pad(new Shape(0, kk * s - k, 0, kk * s - k), 0), weight, scope); // [C, O, K·s, K·s]
        }
        w = onScope(w.reshape(c, o, kk, s, kk, s), weight, scope);                          // [C, O, my, ry, mx, rx]
        w = onScope(w.flip(2, 4), weight, scope);                                           // convolution, not correlation
        w = onScope(w.transpose(3, 5, 1, 0, 2, 4), weight, scope);                          // [ry, rx, O, C, my, mx]
        w = onScope(w.reshape((long) s * s * o, c, kk, kk), weight, scope);                 // [s²·O, C, K, K]

        Phase ph = new Phase(x.getShape().get(2), k, s, padding, outputPaddingH);
        Phase pw = new Phase(x.getShape().get(3), k, s, padding, outputPaddingW);
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(ph.pad, pw.pad),
                new Shape(1, 1), 1).singletonOrThrow();                                    // [B, s²·O, Nh, Nw]
        long nh = y.getShape().get(2);
        long nw = y.getShape().get(3);
        y = y.reshape(batch, s, s, o, nh, nw)                                              // [B, ry, rx, O, Nh, Nw]
                .transpose(0, 3, 4, 1, 5, 2)                                               // [B, O, Nh, ry, Nw, rx]
                .reshape(batch, o, nh * s, nw * s);                                        // [B, O, Nh·s, Nw·s]
        y = y.get(new NDIndex(":, :, {}:{}, {}:{}", ph.offset, ph.offset + ph.out, pw.offset, pw.offset + pw.out));
        if (bias != null) {
            y = y.add(onScope(bias.reshape(1, o, 1, 1), bias, scope));                     // [1, O, 1, 1]
        }
        return y;
    }

    /**
     * The same operation written out as its definition: stride−1 zeros inserted between the input's
     * pixels, padding k−1−p (plus output_padding at the bottom/right), and a stride-1 convolution
     * with the spatially flipped, channel-swapped kernel. Kept as a second, independent formulation
     * (the tests hold the two against each other and against a direct loop).
     */
    public static NDArray convTranspose2dDilated(NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int outputPadding) {
        int k = checkArguments(x, weight, bias, stride, padding, outputPadding, outputPadding);
        NDManager scope = x.getManager();
        int s = stride;
        long batch = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        NDArray up = x;
        if (s > 1) {
            up = x.reshape(batch, c, h, 1, wd, 1)                                          // [B, C, H, 1, W, 1]
                    .pad(new Shape(0, s - 1, 0, 0, 0, s - 1), 0)                           // [B, C, H, s, W, s]
                    .reshape(batch, c, h * s, wd * s);                                     // [B, C, H·s, W·s]
        }
        // Keep (H−1)·s + 1 + output_padding rows: the dilated input plus output_padding trailing zeros,
        // which become the extra bottom/right padding.
        long rows = (h - 1) * s + 1 + outputPadding;
        long cols = (wd - 1) * s + 1 + outputPadding;
        up = up.get(new NDIndex(":, :, :{}, :{}", rows, cols));                           // [B, C, rows, cols]
        NDArray w = onScope(weight.flip(2, 3), weight, scope);                               // [C, O, k, k]
        w = onScope(w.swapAxes(0, 1), weight, scope);                                        // [O, C, k, k]
        int pad = k - 1 - padding;
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(up, w, null, new Shape(1, 1), new Shape(pad, pad),
                new Shape(1, 1), 1).singletonOrThrow();                                    // [B, O, H', W']
        if (bias != null) {
            y = y.add(onScope(bias.reshape(1, weight.getShape().get(1), 1, 1), bias, scope)); // [1, O, 1, 1]
        }
        return y;
    }

    /**
     * One spatial axis of the phase decomposition. Phase r's output q (full-output index t = q·s + r,
     * t = Y + p) sums x[q − m]·w[m·s + r] over m; as a stride-1 correlation with the flipped sub-kernel
     * and padding P, the convolution's index n holds q = n + K − 1 − P, so after interleaving the
     * phases the output row Y sits at n·s + r = Y + p + (P − K + 1)·s.
     */
    private static final class Phase {
        final long out;
        final long pad;
        final long offset;

        Phase(long in, int k, int s, int p, int op) {
            int kk = (k + s - 1) / s;
            out = (in - 1) * s - 2L * p + k + op;
            long qFirst = p / s;
            long qLast = (p + out - 1) / s;
            pad = Math.max(0, Math.max(kk - 1 - qFirst, qLast - (in - 1)));
            offset = p + (pad - kk + 1) * s;
        }
    }

    /**
     * Every check of both formulations, in order: the shapes, the geometry with each axis's
     * output_padding, a non-empty output.
     *
     * @return k
     */
    private static int checkArguments(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int opH,
            int opW) {
        int k = checkShapes(x, weight, bias);
        checkGeometry(k, stride, padding, opH);
        checkGeometry(k, stride, padding, opW);
        checkOutput(x, k, stride, padding, opH, opW);
        return k;
    }

    private static int checkShapes(NDArray x, NDArray weight, NDArray bias) {
        Shape xs = x.getShape();
        Shape ws = weight.getShape();
        if (xs.dimension() != 4 || ws.dimension() != 4) {
            throw new IllegalArgumentException("need x [B, C, H, W] and weight [C, O, k, k], got " + xs + " and " + ws);
        }
        if (ws.get(0) != xs.get(1) || ws.get(2) != ws.get(3)) {
            throw new IllegalArgumentException("weight " + ws + " does not fit x " + xs + " (need [C, O, k, k])");
        }
        if (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != ws.get(1))) {
            throw new IllegalArgumentException("bias " + bias.getShape() + " does not fit weight " + ws);
        }
        return Math.toIntExact(ws.get(2));
    }

    private static void checkOutput(NDArray x, int k, int stride, int padding, int opH, int opW) {
        for (int axis = 2; axis < 4; axis++) {
            int outputPadding = axis == 2 ? opH : opW;
            long out = (x.getShape().get(axis) - 1) * stride - 2L * padding + k + outputPadding;
            if (out < 1) {
                throw new IllegalArgumentException("empty output: input " + x.getShape() + ", k=" + k + ", s=" + stride
                        + ", p=" + padding + ", output_padding=" + outputPadding);
            }
        }
    }

    private static void checkGeometry(int kernel, int stride, int padding, int outputPadding) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("kernel and stride must be positive: k=" + kernel + ", s=" + stride);
        }
        if (padding < 0 || padding > kernel - 1) {
            throw new IllegalArgumentException("padding must be in [0, k−1]: p=" + padding + ", k=" + kernel);
        }
        if (outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException(
                    "output_padding must be in [0, s): output_padding=" + outputPadding + ", s=" + stride);
        }
    }

    /** Moves an array derived from {@code source} (a parameter, perhaps) onto the pass's manager. */
    private static NDArray onScope(NDArray derived, NDArray source, NDManager scope) {
        if (derived != source && derived.getManager() != scope) {
            derived.attach(scope);
        }
        return derived;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int outputPadding() {
        return outputPadding;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }
}
