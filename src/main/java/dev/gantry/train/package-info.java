/**
 * Training: the adversarial loop in both schedules (the authors' simultaneous update and
 * Algorithm 1's alternation), optimizers with their schedules and saved state, checkpoints, and
 * the listeners that log, draw and save while it runs.
 */
package dev.gantry.train;
