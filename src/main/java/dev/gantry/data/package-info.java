/**
 * Datasets and the file formats they travel in: MNIST (LeCun et al., 1998) read from its original
 * IDX files, fetched and verified by SHA-256, and split as in Goodfellow et al. (2014); NumPy
 * {@code .npy} matrices for samples exchanged with other tools.
 *
 * <p>Every reader validates what it reads and reports a malformed file as a
 * {@link dev.gantry.BadInputException} that names the file and says what was expected. Every
 * writer writes atomically (a temporary file in the same directory, then a rename), so a reader
 * never sees half a file and a failed write leaves the previous file in place.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.data;
