/**
 * The typed run configuration ({@link dev.gantry.config.RunConfig}), its presets and the loader
 * that merges defaults, presets, files and {@code --set} overrides with strict key checking.
 */
package dev.gantry.config;
