/** Optimizers Gantry writes itself (SGD with the paper's momentum schedule, Adam), their schedules and their saved state. */
package dev.gantry.optim;
