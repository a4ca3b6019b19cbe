package dev.gantry.api;

import java.nio.file.Path;

/**
 * How a call to {@link Experiment#train()} ended, and where its files are.
 *
 * @param runDirectory the run directory: config.json, provenance.json, stats.jsonl,
 *     metrics.jsonl, samples/, checkpoints/ and report.html, as {@code gantry train} writes them
 * @param outcome finished, interrupted or diverged
 * @param epoch epochs completed
 * @param step steps taken
 * @param checkpoint the newest checkpoint written, or null when none was
 * @param lossD the discriminator's loss in the newest statistics (NaN when none were read)
 * @param lossG the generator's loss in the newest statistics (NaN when none were read)
 * @param minutes how long training took
 */
public record TrainingResult(Path runDirectory, Outcome outcome, int epoch, long step, Path checkpoint,
                             double lossD, double lossG, double minutes) {

    /** How training stopped. */
    public enum Outcome {
        /** Trained to {@code train.epochs}. */
        FINISHED,
        /** Stopped early (the process was asked to exit): a checkpoint was written; {@code gantry resume} continues. */
        INTERRUPTED,
        /** A loss became NaN or infinite: the last good checkpoint is kept, none is written after it. */
        DIVERGED
    }

    /**
     * The generator of the newest checkpoint of the run, restored by itself.
     *
     * @return the generator (close it: it holds native memory)
     * @throws dev.gantry.BadInputException when the run has no checkpoint
     */
    public Generator generator() {
        return Generator.fromRun(runDirectory);
    }
}
