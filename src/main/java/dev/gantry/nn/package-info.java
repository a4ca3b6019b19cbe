/**
 * Building blocks DJL lacks or that Gantry needs in a different shape: parameters as plain named
 * arrays ({@link dev.gantry.nn.Param}), dense and maxout layers, and dropout with reusable masks.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.nn;
