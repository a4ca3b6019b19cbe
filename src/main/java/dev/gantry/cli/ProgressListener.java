package dev.gantry.cli;

import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingListener;
import dev.gantry.train.TrainingView;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch with ETA, the latest losses and D(x) / D(G(z)). */
final class ProgressListener implements TrainingListener {

    private final int targetEpochs;
    private ProgressBar bar;

    ProgressListener(int targetEpochs) {
        this.targetEpochs = targetEpochs;
    }

    private void open(TrainingView t) {
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", t.epoch() + 1, targetEpochs))
                .setInitialMax(t.stepsPerEpoch())
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(120)
                .showSpeed()
                .setEtaFunction(state -> state.getCurrent() - state.getStart() < 1 ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) ((double) state.getElapsedAfterStart().toMillis()
                        / (state.getCurrent() - state.getStart()) * (state.getMax() - state.getCurrent())))))
                .startsFrom(t.stepInEpoch(), Duration.ZERO)
                .build();
    }

    @Override
    public void onStart(TrainingView t) {
        if (t.epoch() < targetEpochs) {
            open(t);
        }
    }

    @Override
    public void onStep(TrainingView t, StepStats s) {
        if (bar == null) {
            return;
        }
        bar.step();
        if (s != null) {
            bar.setExtraMessage(String.format("loss_d %.3f loss_g %.3f D(x) %.2f D(G(z)) %.2f", s.lossD(), s.lossG(), s.dReal(), s.dFake()));
        }
    }

    @Override
    public void onEpochEnd(TrainingView t) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (t.epoch() < targetEpochs) {
            open(t);
        }
    }

    @Override
    public void onEnd(TrainingView t, GanTrainer.Outcome outcome) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
