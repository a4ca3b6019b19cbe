/** A run on disk: the numbered run directory, its config and provenance, checkpoints, and the listener that writes them while training. */
package dev.gantry.run;
