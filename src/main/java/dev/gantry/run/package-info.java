/**
 * A run on disk: the numbered run directory, its config and provenance, checkpoints, and the listener that writes them while training.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.run;
