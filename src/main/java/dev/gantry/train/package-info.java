/**
 * Training: the adversarial loop in both schedules (the authors' simultaneous update and
 * Algorithm 1's alternation), the statistics of a step, the alarms, and the listener interface.
 * Optimizers live in {@code optim}, the run directory and checkpoints in {@code run}.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.train;
