package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * A maxout layer (Goodfellow et al., 2013): {@code units} outputs, each the maximum of
 * {@code pieces} affine functions of the input.
 *
 * <p>Unit j takes the maximum over columns j·pieces … j·pieces+pieces−1 of one affine map, the
 * grouping of pylearn2's {@code Maxout} layer used by the GAN paper's discriminator.
 */
public final class Maxout implements Module {

    private final Dense affine;
    private final int units;
    private final int pieces;

    public Maxout(NDManager manager, String name, int in, int units, int pieces, double initRange) {
        this.units = units;
        this.pieces = pieces;
        this.affine = new Dense(manager, name, in, units * pieces, initRange);
    }

    /** x [B, in] → [B, units]. */
    public NDArray forward(NDArray x, boolean frozen) {
        return reduce(affine.forward(x, frozen));
    }

    /** The affine map before the maximum: [B, in] → [B, units·pieces]. */
    public NDArray preActivation(NDArray x, boolean frozen) {
        return affine.forward(x, frozen);
    }

    /** [B, units·pieces] → [B, units]: the maximum over each unit's pieces. */
    public NDArray reduce(NDArray z) {
        long batch = z.getShape().get(0);
        return z.reshape(batch, units, pieces).max(new int[] {2});
    }

    /**
     * Back-propagates an output gradient to the input by hand, as an ordinary differentiable
     * expression of the weights: g_in = (g_out routed to each unit's winning piece) · W.
     *
     * @param z the pre-activation of the forward pass, [B, units·pieces]
     * @param gOut ∂s/∂h, [B, units]
     */
    public NDArray inputGradient(NDArray z, NDArray gOut, NDArray weight) {
        long batch = z.getShape().get(0);
        NDArray zr = z.stopGradient().reshape(batch, units, pieces);
        NDArray winner = zr.eq(zr.max(new int[] {2}, true)).toType(DataType.FLOAT32, false);  // [B, U, P]
        NDArray gz = winner.mul(gOut.expandDims(2)).reshape(batch, (long) units * pieces);     // [B, U·P]
        return gz.matMul(weight);                                                                // [B, in]
    }

    public Dense affine() {
        return affine;
    }

    public int units() {
        return units;
    }

    public int pieces() {
        return pieces;
    }

    @Override
    public List<Param> params() {
        return affine.params();
    }

    @Override
    public List<NDArray> buffers() {
        return affine.buffers();
    }
}
