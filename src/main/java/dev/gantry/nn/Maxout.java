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

    /**
     * A forward pass outside autograd that keeps what {@link #preActivationGradient} needs: the
     * input, the output [B, units], and per unit a float mask [B, units, pieces] of its winning
     * piece (1 where the piece equals the maximum).
     */
    public record Trace(NDArray input, NDArray output, NDArray winners) {
        /** The rows {@code from} (inclusive) to {@code to} (exclusive) of the pass, as views. */
        public Trace rows(long from, long to) {
            String r = from + ":" + to;
            return new Trace(input.get(r), output.get(r), winners.get(r));
        }
    }

    /**
     * x [B, in] → a {@link Trace} of [B, units]. The maximum is a max-pooling of width and stride
     * {@code pieces} over the pre-activation's row, the same values as {@link #forward}'s; the
     * engine's reduction over a trailing axis of 5 and its arg-max cost 2–3 times as much.
     */
    public Trace trace(NDArray x) {
        NDArray z = affine.apply(x);                                                            // [B, U·P]
        long batch = z.getShape().get(0);
        NDArray h = ai.djl.pytorch.jni.JniUtils.maxPool((ai.djl.pytorch.engine.PtNDArray) z.reshape(batch, 1, (long) units * pieces),
                new ai.djl.ndarray.types.Shape(pieces), new ai.djl.ndarray.types.Shape(pieces), new ai.djl.ndarray.types.Shape(0), false)
                .reshape(batch, units);                                                         // [B, U]
        NDArray winners = z.reshape(batch, units, pieces).eq(h.expandDims(2)).toType(DataType.FLOAT32, false);  // [B, U, P]
        return new Trace(x, h, winners);
    }

    /**
     * The gradient at the pre-activation [B, units·pieces] from gOut [B, units]: each unit's
     * gradient routed to its winning piece, zero elsewhere. Autograd's max routes a tie to one
     * piece, this to every tied piece; pre-activations of distinct weights and real inputs do not tie.
     */
    public NDArray preActivationGradient(Trace t, NDArray gOut) {
        long batch = gOut.getShape().get(0);
        return t.winners().mul(gOut.expandDims(2)).reshape(batch, (long) units * pieces);      // [B, U·P]
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
