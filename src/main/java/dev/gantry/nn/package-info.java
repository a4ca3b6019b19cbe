/**
 * Building blocks DJL lacks or that Gantry needs in a different shape: parameters as plain named
 * arrays ({@link dev.gantry.nn.Param}), dense and maxout layers, and dropout with reusable masks.
 */
package dev.gantry.nn;
