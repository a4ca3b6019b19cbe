package dev.gantry.cli;

import dev.gantry.BadInputException;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint latest|STEP}: which checkpoint of a run a command reads. A picocli mixin. */
final class CheckpointOption {

    @Option(names = "--checkpoint", paramLabel = "latest|STEP", defaultValue = "latest",
            description = "which checkpoint of RUN_DIR (default: ${DEFAULT-VALUE})")
    String checkpoint;

    /**
     * The checkpoint file of {@code run}: its newest, or the one written at the given step.
     *
     * @throws BadInputException naming --checkpoint when the value is neither, or naming the run when it has no such checkpoint
     */
    Path resolve(RunDirectory run) {
        if ("latest".equals(checkpoint)) {
            return Checkpoint.latest(run.checkpoints());
        }
        long step;
        try {
            step = Long.parseLong(checkpoint);
        } catch (NumberFormatException e) {
            throw new BadInputException("--checkpoint: expected 'latest' or a step number, got '" + checkpoint + "'");
        }
        return Checkpoint.atStep(run.checkpoints(), step);
    }
}
