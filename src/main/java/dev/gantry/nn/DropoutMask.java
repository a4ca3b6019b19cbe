package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Inverted dropout with an explicit mask, so one mask can serve several passes.
 *
 * <p>The authors' code scores a fake batch once and derives both D's and G's objective from that
 * one pass; Gantry scores it twice (once cut from G, once cut from D) and reuses the mask so both
 * passes see the same thinned network.
 */
public final class DropoutMask {

    private DropoutMask() {}

    /** A mask of {@code shape} whose entries are 1/keep with probability keep and 0 otherwise. */
    public static NDArray sample(NDManager manager, Shape shape, double keep) {
        if (keep >= 1.0) {
            return null;
        }
        return manager.randomUniform(0f, 1f, shape).lt(keep).toType(DataType.FLOAT32, false).divi((float) keep);
    }

    /** Mask i of a pass's masks (from a discriminator's sampleMasks), or null when there are none (evaluation). */
    public static NDArray of(NDList masks, int i) {
        return masks == null ? null : masks.get(i);
    }

    /** Applies a mask from {@link #sample}; a null mask (keep = 1) is the identity. */
    public static NDArray apply(NDArray x, NDArray mask) {
        return mask == null ? x : x.mul(mask);
    }
}
