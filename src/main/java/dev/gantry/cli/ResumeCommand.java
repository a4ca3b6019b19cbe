package dev.gantry.cli;

import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.GanTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry resume}: continues a run from its newest checkpoint, exactly as if never stopped. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue a run from its newest checkpoint.",
                "Models, optimizer state, data order and random streams continue where they stopped.",
                "A run stopped before its first checkpoint starts again from step 0 with its recorded config."})
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run directory made by gantry train")
    Path runDir;

    @Mixin
    EpochsOption epochs;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "change a key that does not alter the trajectory (train.epochs, train.keep_every, monitor.*, ...); "
                    + "a new train.g_average starts G's moving average again from the checkpoint on")
    java.util.List<String> sets = new java.util.ArrayList<>();

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.open(runDir);
        // Held until the command ends (the OS drops it if the process dies): one process per run.
        try (RunDirectory.Lock lock = run.lock()) {
            return resume(run);
        }
    }

    private int resume(RunDirectory run) throws Exception {
        RunConfig config = run.readConfig();
        RunConfig recorded = config;   // the config that trained up to the checkpoint
        if (epochs.epochs != null && epochs.epochs <= 0) {
            throw new BadInputException("--epochs must be > 0 (got " + epochs.epochs + ")");
        }
        java.util.List<String> changes = new java.util.ArrayList<>(sets);
        changes.addAll(epochs.sets());
        for (String set : changes) {
            String key = set.contains("=") ? set.substring(0, set.indexOf('=')).trim() : set;
            if (!RunConfig.RESUMABLE_KEYS.contains(key)) {
                throw new BadInputException("resume --set " + key + ": only keys that do not change the run's trajectory may change ("
                        + String.join(", ", RunConfig.RESUMABLE_KEYS) + ")");
            }
            config = ConfigLoader.with(config, set);
        }
        java.util.List<Path> checkpoints = Checkpoint.list(run.checkpoints());
        if (checkpoints.isEmpty()) {
            return restart(run, config, !changes.isEmpty());
        }
        Path ckpt = checkpoints.get(checkpoints.size() - 1);
        RunConfig saved = Checkpoint.config(ckpt);
        double averageWas = saved.train().gAverage();
        for (String key : RunConfig.RESUMABLE_KEYS) {
            saved = ConfigLoader.with(saved, key + "=" + ConfigLoader.mapper().valueToTree(config).at("/" + key.replace('.', '/')).asText());
        }
        if (!saved.equals(config)) {
            throw new BadInputException(run.path().resolve(RunDirectory.CONFIG) + " differs from the config stored in "
                    + ckpt + " in a key that shapes training: a resumed run must keep its config");
        }
        dev.gantry.train.Footprint.check(config, Datasets.of(config).shape());
        ImageSet data = Datasets.trainingSet(config, System.err);
        // Restored as trained (G's average at its recorded rate, which the recovered records need);
        // a new train.g_average restarts the average only then.
        RunConfig asTrained = ConfigLoader.with(config, "train.g_average=" + averageWas);
        try (GanTrainer trainer = new GanTrainer(asTrained, data)) {
            Checkpoint.restore(trainer, ckpt);
            // Only once the checkpoint has proved sound: what an interrupted run left is mended
            // (orphan temporary files, a torn last JSONL line) before anything is appended.
            for (String repair : run.recover()) {
                System.err.println("gantry: " + repair);
            }
            for (String repair : MonitorRecovery.recordMissing(run, trainer, recorded)) {
                System.err.println("gantry: " + repair);
            }
            double average = config.train().gAverage();
            if (average != averageWas) {
                trainer.restartAverageG(average);
            }
            if (!changes.isEmpty()) {
                run.writeConfig(config);
            }
            System.err.printf("resuming %s from %s (epoch %d, step %d)%n", runDir, ckpt.getFileName(), trainer.epoch(), trainer.step());
            if (trainer.epoch() >= config.train().epochs()) {
                System.out.printf("%s is already at epoch %d of %d; nothing to do (use --epochs N to train longer)%n",
                        runDir, trainer.epoch(), config.train().epochs());
                return Main.OK;
            }
            com.fasterxml.jackson.databind.node.ObjectNode event = ConfigLoader.mapper().createObjectNode();
            event.put("event", "resumed");
            event.put("step", trainer.step());
            event.put("epoch", trainer.epoch());
            event.put("checkpoint", run.path().relativize(ckpt).toString());
            event.put("time", java.time.Instant.now().toString());
            run.appendEvent(event);
            if (average != averageWas) {
                String restarted = average > 0
                        ? "G's moving average starts again from the next update, at rate " + average
                        : "G's moving average is no longer kept";
                System.err.printf("gantry: train.g_average %s -> %s: %s%s; the trajectory is unchanged%n", averageWas, average, restarted,
                        averageWas > 0 ? " (the checkpoints so far keep the average at rate " + averageWas + ")" : "");
                com.fasterxml.jackson.databind.node.ObjectNode change = ConfigLoader.mapper().createObjectNode();
                change.put("event", "g_average_restarted");
                change.put("step", trainer.step());
                change.put("epoch", trainer.epoch());
                change.put("from", averageWas);
                change.put("to", average);
                change.put("time", java.time.Instant.now().toString());
                run.appendEvent(change);
            }
            return TrainingSession.run(run, trainer, config.train().epochs(), quiet.quiet);
        }
    }

    /**
     * A run stopped before its first checkpoint (issue #12, finding 10) has nothing to continue
     * from: it starts again from step 0 with its recorded config. Training is a function of the
     * config (seeds included), so the result is the run a fresh {@code gantry train} with that
     * config makes, bit for bit (same thread count). The records the stopped attempt left in
     * stats.jsonl and events.jsonl are of steps the restart takes again, with the same values:
     * they are removed first so that each step is recorded once. A run whose metrics.jsonl holds
     * records had checkpoints, which were removed since: that is refused, not restarted.
     */
    private int restart(RunDirectory run, RunConfig config, boolean changed) throws Exception {
        long measured = run.recordCount(RunDirectory.METRICS);
        if (measured > 0) {
            throw new BadInputException("no checkpoint in " + run.checkpoints() + " (expected files named step-NNNNNNNNN.ckpt), but "
                    + run.path().resolve(RunDirectory.METRICS) + " holds " + measured + " records of checkpoints: they were removed "
                    + "since; put them back to resume (a restart from step 0 is for a run stopped before its first checkpoint)");
        }
        dev.gantry.train.Footprint.check(config, Datasets.of(config).shape());
        ImageSet data = Datasets.trainingSet(config, System.err);
        MetricMonitorListener.metrics(config);   // as train: unsuitable monitors fail before anything changes
        try (GanTrainer trainer = new GanTrainer(config, data)) {
            for (String repair : run.recover()) {
                System.err.println("gantry: " + repair);
            }
            long stats = run.clearRecords(RunDirectory.STATS);
            long events = run.clearRecords(RunDirectory.EVENTS);
            System.err.printf("gantry: %s has no checkpoint: it was stopped before its first one; starting it again "
                    + "from step 0 with its recorded config, as gantry train would%s%n", runDir,
                    stats + events == 0 ? "" : "; removed the records of the stopped attempt, which the restart writes again ("
                            + stats + " of " + RunDirectory.STATS + ", " + events + " of " + RunDirectory.EVENTS + ")");
            if (changed) {
                run.writeConfig(config);
            }
            com.fasterxml.jackson.databind.node.ObjectNode event = ConfigLoader.mapper().createObjectNode();
            event.put("event", "restarted");
            event.put("step", 0);
            event.put("epoch", 0);
            event.put("reason", "no checkpoint: stopped before its first");
            event.put("time", java.time.Instant.now().toString());
            run.appendEvent(event);
            return TrainingSession.run(run, trainer, config.train().epochs(), quiet.quiet);
        }
    }
}
