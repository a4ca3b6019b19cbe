/** The few helpers every package needs: atomic file writes. */
package dev.gantry.util;
