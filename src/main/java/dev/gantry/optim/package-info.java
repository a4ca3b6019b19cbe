/**
 * Optimizers Gantry writes itself (SGD with the paper's momentum schedule, Adam), their schedules and their saved state.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.optim;
