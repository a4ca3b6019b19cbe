package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.nn.Module;

/** Maps noise z to data space: the G of the adversarial game. */
public interface Generator extends Module {

    int noiseDim();

    /** Dimension of one generated sample (784 for MNIST). */
    int outputDim();

    /** Draws n noise vectors from the prior p_z: [n, noiseDim]. */
    NDArray sampleNoise(NDManager manager, int n);

    /**
     * z [B, noiseDim] → samples [B, outputDim].
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
