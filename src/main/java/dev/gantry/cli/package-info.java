/**
 * The {@code gantry} command line: one command class per subcommand, and the training session
 * that {@code gantry train}, {@code gantry resume} and the Java API's experiments
 * share ({@link dev.gantry.cli.TrainingSession}).
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.cli;
