package dev.gantry.api;

import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingView;

/** An API listener on the trainer's listener interface. */
final class ListenerAdapter implements dev.gantry.train.TrainingListener {

    private final TrainingListener listener;
    private final int targetEpochs;

    ListenerAdapter(TrainingListener listener, int targetEpochs) {
        this.listener = listener;
        this.targetEpochs = targetEpochs;
    }

    @Override
    public void onStep(TrainingView t, StepStats stats) {
        if (stats != null) {
            listener.onStats(progress(t, stats));
        }
    }

    @Override
    public void onEpochEnd(TrainingView t) {
        listener.onEpochEnd(progress(t, t.lastStats()));
    }

    @Override
    public void onEnd(TrainingView t, GanTrainer.Outcome outcome) {
        listener.onEnd(progress(t, t.lastStats()), TrainingResult.Outcome.valueOf(outcome.name()));
    }

    private Progress progress(TrainingView t, StepStats s) {
        double nan = Double.NaN;
        return new Progress(t.step(), t.epoch(), t.stepInEpoch(), t.stepsPerEpoch(), targetEpochs,
                s == null ? nan : s.lossD(), s == null ? nan : s.lossG(), s == null ? nan : s.dReal(),
                s == null ? nan : s.dFake(), s == null ? nan : s.samplesPerSecond());
    }
}
