package dev.gantry.cli;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.models.Generator;
import dev.gantry.run.Checkpoint;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --generator auto|last|average}: which of a checkpoint's generators a command samples. A
 * run that keeps a moving average of G's parameters ({@code train.g_average} > 0) stores both its
 * last weights and their average; {@code auto} takes the average when there is one. A picocli mixin.
 */
final class GeneratorOption {

    @Option(names = "--generator", paramLabel = "auto|last|average", defaultValue = "auto",
            description = "G's last weights, or the moving average of them its run kept (train.g_average); "
                    + "auto: the average when the run kept one (default: ${DEFAULT-VALUE})")
    String generator;

    /**
     * Whether {@code ckpt} is sampled with G's averaged weights.
     *
     * @throws BadInputException naming --generator when the value is none of the three, or asks for an average the run did not keep
     */
    boolean averaged(Path ckpt) {
        boolean kept = Checkpoint.keepsAveragedGenerator(ckpt);
        switch (generator) {
            case "auto":
                return kept;
            case "last":
                return false;
            case "average":
                if (!kept) {
                    throw new BadInputException("--generator average: " + ckpt + " kept no average of G's parameters"
                            + " (its run had train.g_average = 0); use --generator last");
                }
                return true;
            default:
                throw new BadInputException("--generator: expected auto, last or average, got '" + generator + "'");
        }
    }

    /** The generator of {@code ckpt} this option chooses, restored on {@code manager}. */
    Generator load(Path ckpt, NDManager manager) {
        return averaged(ckpt) ? Checkpoint.averagedGenerator(ckpt, manager) : Checkpoint.generator(ckpt, manager);
    }

    /** The record field: "average" or "last". */
    String recorded(Path ckpt) {
        return averaged(ckpt) ? "average" : "last";
    }
}
