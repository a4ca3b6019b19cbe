/**
 * Named architectures: the paper's MLP generator and maxout discriminator, and their common interfaces.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.models;
