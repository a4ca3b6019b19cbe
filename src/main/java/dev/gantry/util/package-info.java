/** The few helpers every package needs: atomic file writes and seed derivation. */
package dev.gantry.util;
