/**
 * Gantry: train, evaluate and understand generative adversarial networks (Goodfellow et al., 2014)
 * on the JVM.
 *
 * <p>Packages follow the concepts: {@code config} (typed run configuration and presets),
 * {@code data} (MNIST, toy distributions), {@code nn} (blocks DJL lacks), {@code models} (named
 * architectures), {@code losses} (adversarial objectives), {@code train} (the training loop,
 * optimizers, checkpoints), {@code eval} (metrics), {@code report} (images and plots) and
 * {@code cli} (the {@code gantry} command).
 *
 * <p>The public Java API is {@code dev.gantry.api} (with {@link dev.gantry.BadInputException});
 * every other package is internal (docs/library.md).
 */
package dev.gantry;
