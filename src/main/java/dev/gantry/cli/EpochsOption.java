package dev.gantry.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --epochs N}: train until N epochs in total, i.e. set {@code train.epochs} (train, resume). A picocli mixin. */
final class EpochsOption {

    @Option(names = "--epochs", paramLabel = "N", description = "train until N epochs in total (overrides train.epochs)")
    Integer epochs;

    /** {@code train.epochs=N} when given, for {@link dev.gantry.config.ConfigLoader}; else nothing. Not validated here. */
    List<String> sets() {
        return epochs == null ? List.of() : List.of("train.epochs=" + epochs);
    }

    /** The option as given, for provenance. */
    List<String> args() {
        return epochs == null ? List.of() : List.of("--epochs " + epochs);
    }
}
