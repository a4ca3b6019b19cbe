package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A 2-D convolution (cross-correlation, as torch's {@code nn.Conv2d}) with a square kernel:
 * y[b, o, i, j] = bias[o] + Σ_{c,u,v} x[b, c, i·s−p+u, j·s−p+v]·W[o, c, u, v], weight [out, in, k, k],
 * the strided convolutions of DCGAN's discriminator (Radford et al., 2016).
 *
 * <p>It also back-propagates an output gradient to its input by hand ({@link #inputGradient}), as
 * an ordinary differentiable expression of the weight: the transposed convolution of the gradient
 * with the same weight (Dumoulin &amp; Visin, 2016, §4), so a gradient penalty (WGAN-GP, R1) can be
 * trained without the engine's double backward.
 */
public final class Conv2d implements Module {

    private final Param weight;
    private final Param bias;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param initStd weights are drawn from N(0, initStd²) with the engine's RNG (DCGAN: 0.02); the
     *     weight is drawn before the bias is created, which fixes the draw order
     */
    public Conv2d(NDManager manager, String name, int inChannels, int outChannels, int kernel, int stride,
            int padding, double initStd) {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("need k ≥ 1, s ≥ 1, p ≥ 0: k=" + kernel + ", s=" + stride + ", p=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = new Param(name + ".weight", manager.randomNormal(0f, (float) initStd,
                new Shape(outChannels, inChannels, kernel, kernel), DataType.FLOAT32));
        this.bias = new Param(name + ".bias", manager.zeros(new Shape(outChannels)));
    }

    /** x [B, in, H, W] → [B, out, H', W'] with H' = {@link #outSize}(H). */
    public NDArray forward(NDArray x, boolean frozen) {
        NDManager scope = x.getManager();
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.use(frozen, scope), bias.use(frozen, scope),
                new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** ⌊(in + 2p − k)/s⌋ + 1. */
    public int outSize(int in) {
        return Math.floorDiv(in + 2 * padding - kernel, stride) + 1;
    }

    /**
     * ∂L/∂x from g = ∂L/∂y, by hand: the transposed convolution of g with this layer's weight (its
     * [out, in, k, k] layout is the transposed convolution's [in', out', k, k]), output_padding
     * (inH + 2p − k) mod s so that the result has the input's size (a strided convolution drops the
     * last rows that do not fill a window; they get gradient 0). Differentiable in the weight.
     *
     * @param gradOut [B, out, H', W']
     * @return [B, in, inH, inW], on gradOut's manager
     * @throws IllegalArgumentException if inH × inW is not an input size that gives H' × W', or p > k−1
     */
    public NDArray inputGradient(NDArray gradOut, int inH, int inW) {
        long hOut = gradOut.getShape().get(2);
        long wOut = gradOut.getShape().get(3);
        if (outSize(inH) != hOut || outSize(inW) != wOut) {
            throw new IllegalArgumentException("an input of " + inH + "×" + inW + " gives " + outSize(inH) + "×"
                    + outSize(inW) + ", not the gradient's " + hOut + "×" + wOut);
        }
        int opH = Math.floorMod(inH + 2 * padding - kernel, stride);
        int opW = Math.floorMod(inW + 2 * padding - kernel, stride);
        return ConvTranspose2d.convTranspose2d(gradOut, weight.array(), null, stride, padding, opH, opW);
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

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }
}
