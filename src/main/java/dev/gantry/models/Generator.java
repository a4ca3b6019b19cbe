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

    /**
     * z [B, noiseDim] → images [B, C, H, W].
     *
     * @param frozen cut the parameters from the autograd graph (no gradient reaches them)
     * @param training a training pass (batch statistics, running averages updated) or an
     *     evaluation pass (running averages); only matters for batch normalisation
     */
    NDArray forward(NDArray z, boolean frozen, boolean training);

    /** A training pass: {@code forward(z, frozen, true)}. */
    default NDArray forward(NDArray z, boolean frozen) {
        return forward(z, frozen, true);
    }
}
