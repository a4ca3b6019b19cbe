package dev.gantry.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the result as one JSON object on standard output instead of a line for people. A picocli mixin. */
final class JsonOption {

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;
}
