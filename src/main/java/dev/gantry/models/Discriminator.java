package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Module;

/** Scores images as real or fake: the D of the adversarial game, returning logits (D(x) = σ(logit)). */
public interface Discriminator extends Module {

    /** The shape of one image it scores. */
    ImageShape inputShape();

    /**
     * Draws the randomness of one training pass over a batch (the dropout masks), so that several
     * passes over the same batch can share it. Empty for a network without dropout.
     */
    NDList sampleMasks(NDManager manager, int batch);

    /**
     * x [B, C, H, W] → logits [B].
     *
     * @param masks from {@link #sampleMasks}; null for evaluation (no dropout)
     * @param frozen cut the parameters from the autograd graph (used for G's step)
     */
    NDArray logits(NDArray x, NDList masks, boolean frozen);

    /**
     * ∂logit/∂x [B, C, H, W] as an ordinary differentiable expression of D's parameters, for
     * gradient penalties: computed by back-propagating through the layers by hand, so penalising it
     * needs only first-order autograd (the engine's double backward leaks memory, djl-notes.md).
     *
     * @throws UnsupportedOperationException where {@link #inputGradientUnavailable} says why
     */
    NDArray inputGradient(NDArray x, NDList masks);

    /** Why {@link #inputGradient} cannot be computed for this network, or null when it can. */
    default String inputGradientUnavailable() {
        return null;
    }
}
