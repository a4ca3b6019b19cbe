package dev.gantry.cli;

import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageSet;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingState;
import dev.gantry.train.TrainingView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recomputes the monitor records of the epoch a resumed run's checkpoint ends (issue #12, finding
 * 6). At the end of an epoch the checkpoint becomes visible first and the monitors append their
 * records to metrics.jsonl after it; a process killed in between leaves a checkpoint whose epoch
 * has no record.
 *
 * <p>Why recompute on resume rather than write the records before the checkpoint: a record
 * written first names a checkpoint that a kill can still prevent; the resume would then redo the
 * epoch from the previous checkpoint and append its record a second time, so records past the
 * checkpoint would have to be cut from the user's file. Recomputing only adds what is missing,
 * also mends runs interrupted before this fix, and gives the very record that was lost: a monitor
 * draws from its own seed stream (seed, EVAL, epoch) on the restored networks, which are the
 * networks at the end of that epoch, so the values are bit for bit those of an uninterrupted run
 * (with the same thread count). The training trajectory does not depend on it (every step reseeds).
 */
final class MonitorRecovery {

    private MonitorRecovery() {}

    /**
     * Appends the records the monitors of {@code recorded} (the config that trained the epoch)
     * would have written at the end of the epoch {@code trainer} stands at, where metrics.jsonl
     * lacks them. Nothing is done for a checkpoint inside an epoch (monitors run only at its end).
     *
     * @return one sentence per record appended, for the user
     */
    static List<String> recordMissing(RunDirectory run, TrainingView trainer, RunConfig recorded) {
        List<String> done = new ArrayList<>();
        if (trainer.stepInEpoch() != 0 || trainer.epoch() == 0) {
            return done;
        }
        TrainingView view = new AsRecorded(trainer, recorded);
        Set<String> present = run.metricsAt(trainer.step());
        String what = " of epoch " + trainer.epoch() + " (step " + trainer.step() + "), lost when the run was stopped between "
                + "its checkpoint and its monitors";
        if (new ParzenMonitorListener(run).recordIfMissing(view, present)) {
            done.add("recomputed the " + ParzenMonitorListener.recordName(recorded) + " record" + what);
        }
        int n = new MetricMonitorListener(run, recorded).recordIfMissing(view, present);
        if (n > 0) {
            done.add("recomputed " + n + " monitor.metrics record" + (n == 1 ? "" : "s") + what);
        }
        return done;
    }

    /** The trainer seen with the config that ran the epoch (resume --set may have changed the monitors since). */
    private record AsRecorded(TrainingView t, RunConfig recorded) implements TrainingView {
        @Override public RunConfig config() { return recorded; }
        @Override public ImageSet data() { return t.data(); }
        @Override public long step() { return t.step(); }
        @Override public int epoch() { return t.epoch(); }
        @Override public int stepInEpoch() { return t.stepInEpoch(); }
        @Override public int stepsPerEpoch() { return t.stepsPerEpoch(); }
        @Override public StepStats lastStats() { return t.lastStats(); }
        @Override public float[] fixedSamples() { return t.fixedSamples(); }
        @Override public float[] generate(int n) { return t.generate(n); }
        @Override public boolean keepsAveragedGenerator() { return t.keepsAveragedGenerator(); }
        @Override public float[] generateAveraged(int n) { return t.generateAveraged(n); }
        @Override public float[] fixedSamplesAveraged() { return t.fixedSamplesAveraged(); }
        @Override public TrainingState state() { return t.state(); }
        @Override public void requestStop() { t.requestStop(); }
    }
}
