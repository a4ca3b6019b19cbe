/** Adversarial objectives: what the discriminator and the generator each minimise, computed from logits. */
package dev.gantry.losses;
