/**
 * The few helpers every package needs: atomic file writes and seed derivation.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.util;
