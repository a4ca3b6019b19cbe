package dev.gantry.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.eval.ParzenWindow;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.TrainingListener;
import dev.gantry.train.TrainingView;
import dev.gantry.util.Seeds;

/**
 * The authors' training monitor: a Parzen-window estimate on validation images at a fixed σ
 * (0.2 in their code) from a few generated samples, every {@code monitor.parzen_every} epochs,
 * appended to metrics.jsonl as {@code parzen-valid}. A monitor, not the paper's Table 1 protocol
 * ({@code gantry eval parzen}): few samples, no σ selection.
 */
final class ParzenMonitorListener implements TrainingListener {

    private final RunDirectory run;
    private float[] valid;
    private int validCount;

    ParzenMonitorListener(RunDirectory run) {
        this.run = run;
    }

    @Override
    public void onStart(TrainingView t) {
        RunConfig c = t.config();
        if (c.monitor().parzenEvery() == 0 || Datasets.isToy(c.data())) {
            return;
        }
        ImageSet v = Datasets.load(c, Split.VALID, System.err);
        validCount = Math.min(c.monitor().parzenPoints(), v.n());
        valid = v.slice(0, validCount).pixels();
    }

    /** Whether this monitor appends a record at the end of {@code epoch} under {@code c}. */
    static boolean due(RunConfig c, int epoch) {
        return c.monitor().parzenEvery() > 0 && epoch > 0 && epoch % c.monitor().parzenEvery() == 0;
    }

    /** The "metric" of the record it appends: parzen-valid, or modes-NAME on a 2D mixture. */
    static String recordName(RunConfig c) {
        return Datasets.isToy(c.data()) ? "modes-" + Datasets.mixture(c.data()).name() : "parzen-valid";
    }

    /**
     * Appends the record of the epoch {@code t} stands at the end of, if it is due and {@code
     * present} (the metrics recorded for this step) lacks it; the same computation, from the same
     * seed stream and state, as at the end of that epoch. Returns whether it appended one.
     */
    boolean recordIfMissing(TrainingView t, java.util.Set<String> present) {
        if (!due(t.config(), t.epoch())) {
            return false;
        }
        boolean last = !present.contains(recordName(t.config()));
        boolean averaged = t.keepsAveragedGenerator() && !Datasets.isToy(t.config().data()) && !present.contains(AVERAGE_RECORD);
        if (!last && !averaged) {
            return false;
        }
        onStart(t);
        record(t, last, averaged);
        return true;
    }

    /** The record of the monitor on G with the moving average of its parameters (train.g_average). */
    static final String AVERAGE_RECORD = "parzen-valid-average";

    @Override
    public void onEpochEnd(TrainingView t) {
        if (!due(t.config(), t.epoch())) {
            return;
        }
        record(t, true, t.keepsAveragedGenerator());
    }

    /** The epoch's record of the last G and, with {@code averaged}, of the averaged G, each from the same noise. */
    private void record(TrainingView t, boolean last, boolean averaged) {
        if (Datasets.isToy(t.config().data())) {
            if (last) {
                recordModes(t);
            }
            return;
        }
        if (last) {
            Seeds.seedEngine(t.config().seed(), Seeds.EVAL, t.epoch());
            recordParzen(t, "parzen-valid", t.generate(t.config().monitor().parzenSamples()));
        }
        if (averaged) {
            Seeds.seedEngine(t.config().seed(), Seeds.EVAL, t.epoch());
            recordParzen(t, AVERAGE_RECORD, t.generateAveraged(t.config().monitor().parzenSamples()));
        }
    }

    private void recordParzen(TrainingView t, String name, float[] samples) {
        RunConfig.MonitorConfig m = t.config().monitor();
        double[] ll;
        try (NDManager manager = NDManager.newBaseManager();
             ParzenWindow parzen = new ParzenWindow(manager, samples, m.parzenSamples(), t.data().dim())) {
            ll = parzen.logLikelihoods(valid, validCount, m.parzenSigma());
        }
        ParzenWindow.Stats s = ParzenWindow.meanAndStdErr(ll);
        ObjectNode o = ConfigLoader.mapper().createObjectNode();
        o.put("metric", name);
        o.put("value", s.mean());
        o.put("se", s.standardError());
        o.put("sigma", m.parzenSigma());
        o.put("samples", m.parzenSamples());
        o.put("points", validCount);
        record(t, o);
    }

    /** On the 2D mixtures: PacGAN's mode coverage of 2,500 samples (Lin et al., 2018). */
    private void recordModes(TrainingView t) {
        Seeds.seedEngine(t.config().seed(), Seeds.EVAL, t.epoch());
        int n = dev.gantry.eval.ModeCoverage.PROTOCOL_SAMPLES;
        var mixture = Datasets.mixture(t.config().data());
        var r = new dev.gantry.eval.ModeCoverage(mixture).evaluate(t.generate(n), n, 2);
        ObjectNode o = ConfigLoader.mapper().createObjectNode();
        o.put("metric", "modes-" + mixture.name());
        o.put("value", r.modesCaptured());
        o.put("modes", r.modes());
        o.put("high_quality", r.highQualityFraction());
        if (Double.isFinite(r.reverseKl())) {
            o.put("reverse_kl", r.reverseKl());
        }
        o.put("samples", n);
        record(t, o);
    }

    /** Appends a metric with the step, epoch and checkpoint it describes. */
    private void record(TrainingView t, ObjectNode metric) {
        metric.put("step", t.step());
        metric.put("epoch", t.epoch());
        metric.put("checkpoint", "checkpoints/" + dev.gantry.run.Checkpoint.fileName(t.step()));
        run.appendMetric(metric);
    }
}
