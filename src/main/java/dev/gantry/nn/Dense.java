package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A fully connected layer y = x Wᵀ + b, with W of shape [out, in] as in torch's {@code linear}.
 *
 * <p>Optionally spectrally normalised (Miyato et al., 2018): W is divided by an estimate of its
 * largest singular value, refined by one power iteration per training pass with a persistent
 * vector u (a buffer, saved in checkpoints); the division is differentiated, the iteration is not.
 */
public final class Dense implements Module {

    private final Param weight;
    private final Param bias;
    private final int in;
    private final int out;
    private NDArray u;

    /**
     * @param initRange weights are drawn from U(−initRange, initRange), the initialisation of the
     *     paper's code (pylearn2 {@code irange}); biases start at 0
     */
    public Dense(NDManager manager, String name, int in, int out, double initRange) {
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight",
                manager.randomUniform((float) -initRange, (float) initRange, new Shape(out, in)));
        this.bias = new Param(name + ".bias", manager.zeros(new Shape(out)));
    }

    /**
     * A layer with weights drawn from N(0, std²) (the initialisation of DCGAN, Radford et al.
     * 2016) and biases 0.
     */
    public static Dense normal(NDManager manager, String name, int in, int out, double std) {
        NDArray w = manager.randomNormal(0f, (float) std, new Shape(out, in), ai.djl.ndarray.types.DataType.FLOAT32);
        return new Dense(manager, name, w);
    }

    private Dense(NDManager manager, String name, NDArray weight) {
        this.out = (int) weight.getShape().get(0);
        this.in = (int) weight.getShape().get(1);
        this.weight = new Param(name + ".weight", weight);
        this.bias = new Param(name + ".bias", manager.zeros(new Shape(out)));
    }

    /** Turns on spectral normalisation, drawing the power-iteration vector from the engine's RNG. */
    public Dense withSpectralNorm(NDManager manager) {
        NDArray v = manager.randomNormal(new Shape(out));
        u = v.div(v.norm().add(1e-12f));
        u.setName(weight.name() + ".sn_u");
        return this;
    }

    /** x [B, in] → [B, out]. */
    public NDArray forward(NDArray x, boolean frozen) {
        NDManager scope = x.getManager();
        return x.getNDArrayInternal().linear(x, effectiveWeight(frozen, scope), bias.use(frozen, scope)).singletonOrThrow();
    }

    /**
     * The weight the layer applies: W, or W/σ(W) under spectral normalisation. Every array derived
     * here is attached to {@code scope}, so nothing accumulates on the parameters' manager.
     */
    public NDArray effectiveWeight(boolean frozen, NDManager scope) {
        NDArray w = weight.use(frozen, scope);
        if (u == null) {
            return w;
        }
        NDArray wd = weight.use(true, scope);
        NDArray v = wd.transpose().matMul(u);                   // [in]
        v = v.div(v.norm().add(1e-12f));
        NDArray uNew = wd.matMul(v);                            // [out]
        uNew = uNew.div(uNew.norm().add(1e-12f));
        if (!frozen) {
            u.muli(0).addi(uNew);                               // keep the estimate for the next pass
        }
        NDArray wv = w.matMul(v);                               // [out], on w's manager: move it to the scope
        wv.attach(scope);
        NDArray sigma = uNew.matMul(wv);                        // uᵀ W v, differentiable in W
        return w.div(sigma);                                    // W / σ, on the scope's manager (not pow(-1): see Tensors)
    }

    /**
     * x [B, in] → [B, out] outside autograd, for a hand-written backward pass
     * ({@link #parameterGradients}, {@link #inputGradient(NDArray)}); the same linear kernel as
     * {@link #forward}.
     *
     * @throws IllegalStateException under spectral normalisation, whose division the hand-written
     *     pass does not differentiate
     */
    public NDArray apply(NDArray x) {
        requirePlain();
        return x.getNDArrayInternal().linear(x, weight.array(), bias.array()).singletonOrThrow();
    }

    /**
     * The gradients of a loss with respect to W [out, in] and b [out], given the layer's input x
     * [B, in] and the loss's gradient gOut [B, out] at its output: gOutᵀ·x and the column sums of gOut.
     */
    public NDArray[] parameterGradients(NDArray x, NDArray gOut) {
        requirePlain();
        return new NDArray[] {gOut.transpose().matMul(x), gOut.sum(new int[] {0})};
    }

    /** The loss's gradient at the input [B, in] from gOut [B, out]: gOut·W. */
    public NDArray inputGradient(NDArray gOut) {
        requirePlain();
        return gOut.matMul(weight.array());
    }

    /** Whether the layer is spectrally normalised. */
    public boolean spectral() {
        return u != null;
    }

    private void requirePlain() {
        if (u != null) {
            throw new IllegalStateException(weight.name() + ": a spectrally normalised layer has no hand-written backward");
        }
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public List<NDArray> buffers() {
        return u == null ? List.of() : List.of(u);
    }
}
