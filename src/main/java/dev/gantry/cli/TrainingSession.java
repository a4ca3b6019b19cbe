package dev.gantry.cli;

import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.report.RunReport;
import dev.gantry.run.Provenance;
import dev.gantry.run.RunDirectory;
import dev.gantry.run.RunFilesListener;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a trainer inside a run directory with the standard listeners, Ctrl-C handling and the
 * report: the one training path of {@code gantry train}, {@code gantry resume} and the Java API
 * (its {@code Experiment.train()}). Internal: public only for the API.
 */
public final class TrainingSession {

    private TrainingSession() {}

    /**
     * How a session ended.
     *
     * @param lastStats the newest statistics, or null when none were read
     * @param lastCheckpoint the newest checkpoint written, or null when none was
     */
    public record Result(Path runDir, GanTrainer.Outcome outcome, int epoch, long step, StepStats lastStats,
                         Path lastCheckpoint, double minutes) {}

    /**
     * Starts a new run, as {@code gantry train} does: the data are loaded and the networks built
     * (and checked against the data's shape) before the run directory exists, so a model that
     * does not fit leaves nothing behind; then the directory is created and locked, the config and
     * provenance written, and training runs to {@code train.epochs}.
     *
     * @param runsRoot where the numbered run directory goes when {@code runDir} is null
     * @param runDir the run directory (must not exist, or be empty), or null
     * @param command what made the run, for provenance.json
     * @param extra listeners after the standard ones (e.g. a progress bar)
     * @param log where data fetching, alarms and warnings are reported
     * @throws dev.gantry.BadInputException naming what does not fit, before anything is written
     */
    public static Result start(RunConfig config, Path runsRoot, Path runDir, String command,
                               List<TrainingListener> extra, PrintStream log) throws IOException {
        // Sizes the memory cannot hold are refused before the data are loaded or anything is made.
        dev.gantry.train.Footprint.check(config, Datasets.of(config).shape());
        ImageSet data = Datasets.trainingSet(config, log);
        MetricMonitorListener.metrics(config);   // unknown or unsuitable monitors fail before anything is made
        try (GanTrainer trainer = new GanTrainer(config, data)) {
            RunDirectory run = RunDirectory.create(runsRoot, config.preset(), runDir);
            try (RunDirectory.Lock lock = run.lock()) {
                RunDirectory.requireEmpty(run.path());   // again, now that no other process can start in it
                run.writeConfig(config);
                run.writeProvenance(Provenance.collect(config, command));
                return session(run, trainer, config.train().epochs(), extra, log);
            }
        }
    }

    /**
     * Trains to {@code targetEpochs} with the command line's progress bar (unless quiet) and
     * prints the one-line summary.
     *
     * @return the exit code
     */
    static int run(RunDirectory run, GanTrainer trainer, int targetEpochs, boolean quiet) {
        return exitCode(session(run, trainer, targetEpochs, progress(quiet, targetEpochs), System.err), System.out);
    }

    /** The command line's progress bar, or nothing when quiet. */
    public static List<TrainingListener> progress(boolean quiet, int targetEpochs) {
        return quiet ? List.of() : List.of(new ProgressListener(targetEpochs));
    }

    /**
     * Trains to {@code targetEpochs} with the standard listeners (run files, monitors, alarms),
     * then {@code extra}. Ctrl-C asks the loop to stop after the current step; a checkpoint is
     * written before the process exits. The report is written when training stops.
     */
    public static Result session(RunDirectory run, GanTrainer trainer, int targetEpochs, List<TrainingListener> extra, PrintStream log) {
        RunFilesListener files = new RunFilesListener(run);
        trainer.addListener(files);
        trainer.addListener(new ParzenMonitorListener(run));
        trainer.addListener(new MetricMonitorListener(run, trainer.config()));
        dev.gantry.train.Diagnostics diagnostics = new dev.gantry.train.Diagnostics(trainer.config().diagnostics(), run::appendEvent, log);
        dev.gantry.classifier.FeatureNet classifier = classMeter(trainer, diagnostics);
        trainer.addListener(diagnostics);
        extra.forEach(trainer::addListener);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "gantry-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainAndReport(run, trainer, targetEpochs, files, hook, log);
        } catch (RuntimeException | Error e) {
            // A listener (or the loop) failed: no Ctrl-C is pending for this trainer any more.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook finds the latch released below
            }
            throw e;
        } finally {
            if (classifier != null) {
                classifier.close();
            }
            done.countDown();   // lets a Ctrl-C shutdown proceed, once the checkpoint and summary are out
        }
    }

    /**
     * On a dataset whose classifier ships (MNIST, Fashion-MNIST), the mode-collapse alarm also
     * watches the class histogram of G's samples; returns the network to close afterwards.
     */
    private static dev.gantry.classifier.FeatureNet classMeter(GanTrainer trainer, dev.gantry.train.Diagnostics d) {
        String name = trainer.config().data().name();
        if (!trainer.config().diagnostics().enabled() || !dev.gantry.classifier.FeatureNet.SHIPPED.containsKey(name)) {
            return null;
        }
        dev.gantry.classifier.FeatureNet net = dev.gantry.classifier.FeatureNet.load(name, null);
        d.withClassMeter((samples, n) -> dev.gantry.eval.ClassHistogram.compute(net.probabilities(samples, n), n, net.classes()).counts());
        return net;
    }

    private static Result trainAndReport(RunDirectory run, GanTrainer trainer, int targetEpochs, RunFilesListener files,
                                         Thread hook, PrintStream log) {
        long start = System.nanoTime();
        GanTrainer.Outcome outcome = trainer.train(targetEpochs);
        if (outcome != GanTrainer.Outcome.INTERRUPTED) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        try {
            RunReport.write(run.path());
        } catch (RuntimeException e) {
            log.println("gantry: could not write the report: " + e.getMessage());
        }
        return new Result(run.path(), outcome, trainer.epoch(), trainer.step(), trainer.lastStats(), files.lastCheckpoint(), minutes);
    }

    /** Prints the command line's one-line summary of a session and returns its exit code. */
    static int exitCode(Result r, PrintStream out) {
        StepStats s = r.lastStats();
        String losses = s == null ? "" : String.format(" loss_d %.4f loss_g %.4f D(x) %.3f D(G(z)) %.3f",
                s.lossD(), s.lossG(), s.dReal(), s.dFake());
        String where = r.lastCheckpoint() == null ? "" : ", checkpoint " + r.runDir().relativize(r.lastCheckpoint());
        switch (r.outcome()) {
            case FINISHED -> out.printf("trained %s to epoch %d (step %d) in %.1f min;%s%s; report %s%n",
                    r.runDir(), r.epoch(), r.step(), r.minutes(), losses, where, r.runDir().resolve("report.html"));
            case INTERRUPTED -> out.printf("interrupted %s at epoch %d step %d%s; continue with: gantry resume %s%n",
                    r.runDir(), r.epoch(), r.step(), where, r.runDir());
            case DIVERGED -> {
                out.printf("DIVERGED: %s at step %d (a loss became NaN or infinite);%s the last good checkpoint is kept%s%n",
                        r.runDir(), r.step(), losses, where);
                return Main.INTERNAL_ERROR;
            }
        }
        return Main.OK;
    }
}
