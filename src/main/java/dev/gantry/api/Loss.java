package dev.gantry.api;

import ai.djl.ndarray.NDArray;

/**
 * An adversarial loss of your own: what the discriminator D minimises and what the generator G
 * minimises, both from D's logits, as in the two-player game of Goodfellow et al. (2014). Register
 * it with {@link Gantry#registerLoss} and select it with {@code optSet("loss.name", name)}.
 *
 * <p>The schedule (which network steps when, on which minibatch) is the trainer's, and so are the
 * phases around the loss, which apply to every loss: the gradient penalty of Gulrajani et al.
 * (2017) with {@code loss.gp_weight} and the weight clipping of Arjovsky et al. (2017) with
 * {@code loss.clip}. Both methods run under autograd: build the result from the given arrays with
 * NDArray operations, and return a scalar.
 *
 * <p>Two sharp edges of the engine, and the helpers that avoid them: work from logits with
 * {@link #softplus} ({@code -log sigmoid(l) = softplus(-l)}) rather than the log of a rounded
 * probability; multiply by a constant with {@link #times}, not {@code NDArray.mul(Number)}, whose
 * constant is freed before the backward pass reads it.
 */
public interface Loss {

    /**
     * D's loss.
     *
     * @param realLogits D's logits on a minibatch of training images, shape [B]
     * @param fakeLogits D's logits on G's samples (cut from G's graph), shape [B]
     * @return a scalar
     */
    NDArray discriminator(NDArray realLogits, NDArray fakeLogits);

    /**
     * G's loss.
     *
     * @param fakeLogits D's logits on G's samples (D's parameters cut from the graph), shape [B]
     * @return a scalar
     */
    NDArray generator(NDArray fakeLogits);

    /**
     * Softplus, {@code log(1 + exp(x))}, elementwise and numerically stable: {@code -log D = softplus(-l)}
     * and {@code -log(1 - D) = softplus(l)} for D = sigmoid(l).
     *
     * @param x logits
     * @return softplus of x, the same shape
     */
    static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }

    /**
     * {@code x * c}, with the constant held by the engine so that autograd can read it in the
     * backward pass.
     *
     * @param x an array
     * @param c the factor
     * @return the product, the shape of x
     */
    static NDArray times(NDArray x, double c) {
        return dev.gantry.nn.Tensors.times(x, c);
    }
}
