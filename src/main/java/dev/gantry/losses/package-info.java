/**
 * Adversarial objectives: what the discriminator and the generator each minimise, computed from logits.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.losses;
