package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** A fully connected layer y = x Wᵀ + b, with W of shape [out, in] as in torch's {@code linear}. */
public final class Dense implements Module {

    private final Param weight;
    private final Param bias;
    private final int in;
    private final int out;

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

    /** x [B, in] → [B, out]. */
    public NDArray forward(NDArray x, boolean frozen) {
        return x.getNDArrayInternal().linear(x, weight.use(frozen), bias.use(frozen)).singletonOrThrow();
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
}
