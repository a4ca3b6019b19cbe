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
     * A data-dependent initialisation from a batch of training images x [B, C, H, W], run once
     * when training starts from scratch (before the optimizers exist; a resume then overwrites it).
     * Nothing for most networks; the weight-normalised D of {@code ssgan-mlp} sets its layers'
     * lengths and biases here.
     */
    default void initFromData(NDManager scope, NDArray x) {}

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
     * D's penultimate features of x [B, C, H, W] → [B, F], with dropout off, cut from the graph:
     * what the layer before the logit sees (for probes of D's representation, Radford et al. 2016;
     * Salimans et al. 2016). A conditional D's features would depend on the label it is asked
     * about; it has none.
     *
     * @throws UnsupportedOperationException for a conditional D
     */
    NDArray features(NDArray x);

    /**
     * A classifying D's K class logits [B, K] (Salimans et al. 2016: D is a (K+1)-class
     * classifier whose "fake" logit is fixed at 0, so its real/fake logit is log Σ_k exp l_k).
     *
     * @throws UnsupportedOperationException for a D that only tells real from fake
     */
    default NDArray classLogits(NDArray x, NDList masks, boolean frozen) {
        throw new UnsupportedOperationException("this discriminator does not classify");
    }

    /** Penultimate features as in a training pass (the masks' noise or dropout applied), for feature matching. */
    default NDArray features(NDArray x, NDList masks, boolean frozen) {
        throw new UnsupportedOperationException("this discriminator gives no training-pass features");
    }

    /** Number of classes a conditional discriminator takes (its y is one-hot of this width); 0 when unconditional. */
    default int classes() {
        return 0;
    }

    /**
     * (x [B, C, H, W], y [B, classes] one-hot) → logits [B]: how real x is as an image of class y.
     * An unconditional D takes y = null.
     */
    default NDArray logits(NDArray x, NDArray y, NDList masks, boolean frozen) {
        Conditioning.check(y, classes(), "D");
        return logits(x, masks, frozen);
    }

    /** ∂logit(x, y)/∂x, as {@link #inputGradient(NDArray, NDList)}; an unconditional D takes y = null. */
    default NDArray inputGradient(NDArray x, NDArray y, NDList masks) {
        Conditioning.check(y, classes(), "D");
        return inputGradient(x, masks);
    }

    /**
     * ∂logit/∂x [B, C, H, W] as an ordinary differentiable expression of D's parameters, for
     * gradient penalties: computed by back-propagating through the layers by hand, so penalising it
     * needs only first-order autograd (the engine's double backward leaks memory, djl-notes.md).
     *
     * @throws UnsupportedOperationException where {@link #inputGradientUnavailable} says why (the
     *     default, for a network that does not write one)
     */
    default NDArray inputGradient(NDArray x, NDList masks) {
        throw new UnsupportedOperationException(inputGradientUnavailable());
    }

    /** Why {@link #inputGradient} cannot be computed for this network, or null when it can. */
    default String inputGradientUnavailable() {
        return null;
    }
}
