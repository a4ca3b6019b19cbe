package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.gantry.nn.Module;

/** Scores samples as real or fake: the D of the adversarial game, returning logits (D(x) = σ(logit)). */
public interface Discriminator extends Module {

    /**
     * Draws the randomness of one training pass over a batch (the dropout masks), so that several
     * passes over the same batch can share it.
     */
    NDList sampleMasks(NDManager manager, int batch);

    /**
     * x [B, inputDim] → logits [B].
     *
     * @param masks from {@link #sampleMasks}; null for evaluation (no dropout)
     * @param frozen cut the parameters from the autograd graph (used for G's step)
     */
    NDArray logits(NDArray x, NDList masks, boolean frozen);

    /**
     * ∂logit/∂x [B, inputDim] as an ordinary differentiable expression of D's parameters, for
     * gradient penalties: computed by back-propagating through the layers by hand, so penalising it
     * needs only first-order autograd (the engine's double backward leaks memory, djl-notes.md).
     */
    NDArray inputGradient(NDArray x, NDList masks);
}
