package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
        NDArray z = affine.forward(x, frozen);                 // [B, units·pieces]
        long batch = z.getShape().get(0);
        return z.reshape(batch, units, pieces).max(new int[] {2}); // [B, units]
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
}
