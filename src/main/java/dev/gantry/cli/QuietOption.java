package dev.gantry.cli;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress bar while training. A picocli mixin. */
final class QuietOption {

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;
}
