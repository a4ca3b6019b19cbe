/**
 * The typed run configuration ({@link dev.gantry.config.RunConfig}), its presets and the loader
 * that merges defaults, presets, files and {@code --set} overrides with strict key checking.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.config;
