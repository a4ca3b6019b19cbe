package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.eval.Evaluation;
import dev.gantry.eval.Metric;
import dev.gantry.eval.Metrics;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.TrainingListener;
import dev.gantry.train.TrainingView;
import dev.gantry.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registered metrics as monitors ({@code monitor.metrics}, every {@code monitor.metrics_every}
 * epochs): G's samples scored against the validation split (never test, so a checkpoint can be
 * chosen on them), appended to metrics.jsonl with the checkpoint they measured; the report plots
 * each as a curve.
 */
final class MetricMonitorListener implements TrainingListener {

    private final RunDirectory run;
    private final List<Metric> metrics;
    private Evaluation ev;

    MetricMonitorListener(RunDirectory run, RunConfig config) {
        this.run = run;
        this.metrics = metrics(config);
    }

    /**
     * The monitors a config asks for, checked: unknown names and metrics that cannot judge the
     * run's dataset fail with exit 2 before training starts.
     */
    static List<Metric> metrics(RunConfig config) {
        List<Metric> list = new ArrayList<>();
        RunConfig.MonitorConfig m = config.monitor();
        if (m.metricsEvery() == 0 || m.metrics().isBlank()) {
            return list;
        }
        try (Evaluation probe = of(config)) {
            for (String name : m.metrics().split(",")) {
                Metric metric = Metrics.named(name.trim());
                String why = metric.unsuitable(probe);
                if (why != null) {
                    throw new dev.gantry.BadInputException("monitor.metrics: " + metric.name() + ": " + why);
                }
                list.add(metric);
            }
        }
        return list;
    }

    /** The validation evaluation of a run's data; for a conditional run, its samples are drawn as Sampler draws them. */
    private static Evaluation of(RunConfig c) {
        Evaluation ev = Evaluation.of(c.data().name(), dir(c), "valid", null, System.err);
        return c.model().conditional() ? ev.conditional(dev.gantry.data.Datasets.of(c).classNames().size()) : ev;
    }

    private static java.nio.file.Path dir(RunConfig c) {
        return c.data().dir() == null || c.data().dir().isBlank() ? null : java.nio.file.Path.of(c.data().dir());
    }

    @Override
    public void onEpochEnd(TrainingView t) {
        if (!due(t)) {
            return;
        }
        evaluate(t).forEach(run::appendMetric);
    }

    private boolean due(TrainingView t) {
        int every = t.config().monitor().metricsEvery();
        return !metrics.isEmpty() && every > 0 && t.epoch() > 0 && t.epoch() % every == 0;
    }

    /** The records of every monitor at the end of the epoch {@code t} stands at, in order. */
    private List<ObjectNode> evaluate(TrainingView t) {
        if (ev == null) {
            ev = of(t.config());
        }
        Seeds.seedEngine(t.config().seed(), Seeds.EVAL, t.epoch());
        int n = metrics.stream().mapToInt(Metric::samples).max().orElse(0);
        float[] samples = t.generate(n);
        List<ObjectNode> out = new ArrayList<>();
        for (Metric m : metrics) {
            long start = System.nanoTime();
            Map<String, Object> r = m.compute(samples, n, ev);
            ObjectNode o = ConfigLoader.mapper().valueToTree(r);
            o.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
            o.put("step", t.step());
            o.put("epoch", t.epoch());
            o.put("checkpoint", "checkpoints/" + Checkpoint.fileName(t.step()));
            out.add(o);
        }
        return out;
    }

    /**
     * Appends the records of the epoch {@code t} stands at the end of that {@code present} (the
     * metrics recorded for this step) lacks, if the monitors are due. All monitors are computed, as
     * at the end of the epoch (they share one batch of samples, so a subset alone would not give
     * the same values), and only the missing records appended. A record counts as present when
     * its name starts with the metric's ({@code parzen10k} records {@code parzen10k-valid}).
     *
     * @return how many records it appended
     */
    int recordIfMissing(TrainingView t, java.util.Set<String> present) {
        if (!due(t) || metrics.stream().allMatch(m -> present.stream().anyMatch(p -> p.startsWith(m.name())))) {
            return 0;
        }
        int appended = 0;
        for (ObjectNode o : evaluate(t)) {
            if (!present.contains(o.path("metric").asText())) {
                run.appendMetric(o);
                appended++;
            }
        }
        return appended;
    }

    @Override
    public void onEnd(TrainingView t, dev.gantry.train.GanTrainer.Outcome outcome) {
        if (ev != null) {
            ev.close();
            ev = null;
        }
    }
}
