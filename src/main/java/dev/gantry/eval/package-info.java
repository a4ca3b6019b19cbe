/**
 * Metrics that judge a generator: the Parzen-window log-likelihood of Goodfellow et al. (2014),
 * nearest neighbours in the training set, mode coverage on mixtures, and checks of the theory
 * (for example that the optimal discriminator approaches ½).
 *
 * <p>Each metric is one class named after what it computes; its javadoc cites the paper and the
 * reference implementation it reproduces, and says where Gantry's computation deviates.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.eval;
