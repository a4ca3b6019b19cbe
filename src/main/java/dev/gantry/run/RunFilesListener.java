package dev.gantry.run;

import dev.gantry.report.ImageGrid;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingListener;
import dev.gantry.train.TrainingView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the run directory up to date: stats lines as they are read, a sample grid from the fixed
 * noise after every epoch (and one from G's averaged parameters, {@code average-epoch-NNNN.png},
 * when the run keeps them), and a checkpoint after every epoch and when training stops early
 * (but never after divergence, so the last good checkpoint stays the newest).
 */
public final class RunFilesListener implements TrainingListener {

    private final RunDirectory run;

    public RunFilesListener(RunDirectory run) {
        this.run = run;
    }

    @Override
    public void onStart(TrainingView t) {
        if (t.step() == 0) {
            writeGrid(t, "epoch-0000.png", t.fixedSamples());
        }
    }

    @Override
    public void onStep(TrainingView t, StepStats stats) {
        if (stats != null) {
            run.appendStats(stats);
            dev.gantry.util.Halt.at("stats", stats.step());   // crash tests: a kill in the middle of an epoch
        }
    }

    @Override
    public void onEpochEnd(TrainingView t) {
        writeGrid(t, String.format("epoch-%04d.png", t.epoch()), t.fixedSamples());
        if (t.keepsAveragedGenerator()) {
            // train.g_average: the same noise through G with the average of its parameters.
            writeGrid(t, String.format("average-epoch-%04d.png", t.epoch()), t.fixedSamplesAveraged());
        }
        checkpoint(t);
    }

    @Override
    public void onEnd(TrainingView t, GanTrainer.Outcome outcome) {
        if (outcome == GanTrainer.Outcome.INTERRUPTED && t.stepInEpoch() > 0) {
            checkpoint(t);
        }
    }

    private void writeGrid(TrainingView t, String name, float[] images) {
        int side = t.config().train().gridSide();
        try {
            Files.createDirectories(run.samples());
            if (dev.gantry.data.Datasets.isToy(t.config().data())) {
                dev.gantry.report.Scatter2D.writePng(run.samples().resolve(name), images, side * side,
                        dev.gantry.data.Datasets.mixture(t.config().data()));
                return;
            }
            ImageGrid.writePng(run.samples().resolve(name), images, side * side, t.data().shape(), side, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkpoint(TrainingView t) {
        try {
            Path file = Checkpoint.save(t.state(), run.checkpoints());
            dev.gantry.util.Halt.at("checkpoint-visible", t.step());   // crash tests: a kill before the epoch's monitors
            int keepEvery = t.config().train().keepEvery();
            long stepsPerEpoch = t.stepsPerEpoch();
            Checkpoint.prune(run.checkpoints(), t.config().train().checkpointKeep(),
                    step -> keepEvery > 0 && step % (keepEvery * stepsPerEpoch) == 0);
            lastCheckpoint = file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path lastCheckpoint;

    /** The newest checkpoint this listener wrote, or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
