/**
 * Theory experiments: small, exact-where-possible numerical checks of the claims of Goodfellow et
 * al. (2014), "Generative Adversarial Nets", and of the motivation of Arjovsky, Chintala and Bottou
 * (2017), "Wasserstein GAN" (issue #4, {@code gantry lab}).
 *
 * <p>Each experiment is one class with {@code run(Params) → Result}: the parameters are validated
 * (a bad value is a {@link dev.gantry.BadInputException} naming its command-line option), the
 * result carries the number the experiment is about and the PNG it drew. Densities are known in
 * closed form here, so divergences are integrated numerically on a grid ({@link Grid1D},
 * {@link Divergences}) rather than estimated from samples, except where a generator's samples are
 * the only description of its distribution ({@link Kde}).
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.lab;
