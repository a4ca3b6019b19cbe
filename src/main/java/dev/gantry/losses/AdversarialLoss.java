package dev.gantry.losses;

import ai.djl.ndarray.NDArray;

/**
 * What D minimises and what G minimises, both from D's logits.
 *
 * <p>The schedule (which network steps when, on which batch) belongs to the trainer, not here.
 */
public interface AdversarialLoss {

    /** D's loss from its logits on a real batch [B] and a fake batch [B]: a scalar. */
    NDArray discriminator(NDArray realLogits, NDArray fakeLogits);

    /** G's loss from D's logits on a fake batch [B]: a scalar. */
    NDArray generator(NDArray fakeLogits);
}
