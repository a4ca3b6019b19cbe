/**
 * File formats: IDX (MNIST, Fashion-MNIST), NumPy .npy, CIFAR-10 binary; each reader checks sizes before it allocates.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.data.format;
