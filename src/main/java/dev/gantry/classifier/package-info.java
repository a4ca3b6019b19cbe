/**
 * The frozen feature networks the metrics measure in: the shipped LeNet-style classifiers of
 * MNIST and Fashion-MNIST, how they were trained, and the feature spaces they offer.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.classifier;
