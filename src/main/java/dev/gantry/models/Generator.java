package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Module;

/** Maps noise z to images: the G of the adversarial game. */
public interface Generator extends Module {

    int noiseDim();

    /** The shape of one generated image (1×28×28 for MNIST, 1×1×2 for the 2D toys). */
    ImageShape outputShape();

    /** Values in one generated image: C·H·W. */
    default int outputDim() {
        return outputShape().dim();
    }

    /** Draws n noise vectors from the prior p_z: [n, noiseDim]. */
    NDArray sampleNoise(NDManager manager, int n);

    /** Number of classes a conditional generator takes (its y is one-hot of this width); 0 when unconditional. */
    default int classes() {
        return 0;
    }

    /**
     * (z [B, noiseDim], y [B, classes] one-hot) → images [B, C, H, W].
     *
     * @param y the classes to draw, one-hot; null for an unconditional generator (and required
     *     for a conditional one)
     * @param frozen cut the parameters from the autograd graph (no gradient reaches them)
     * @param training a training pass (batch statistics, running averages updated) or an
     *     evaluation pass (running averages); only matters for batch normalisation
     * @throws IllegalArgumentException when y is given to an unconditional generator or missing for a conditional one
     */
    NDArray forward(NDArray z, NDArray y, boolean frozen, boolean training);

    /** An unconditional pass: {@code forward(z, null, frozen, training)}. */
    default NDArray forward(NDArray z, boolean frozen, boolean training) {
        return forward(z, null, frozen, training);
    }

    /** An unconditional training pass: {@code forward(z, null, frozen, true)}. */
    default NDArray forward(NDArray z, boolean frozen) {
        return forward(z, null, frozen, true);
    }
}
