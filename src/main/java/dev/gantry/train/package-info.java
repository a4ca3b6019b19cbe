/**
 * Training: the adversarial loop in both schedules (the authors' simultaneous update and
 * Algorithm 1's alternation), the statistics of a step, the alarms, and the listener interface.
 * Optimizers live in {@code optim}, the run directory and checkpoints in {@code run}.
 */
package dev.gantry.train;
