package dev.gantry.cli;

import dev.gantry.report.RunReport;
import dev.gantry.run.RunDirectory;
import dev.gantry.run.RunFilesListener;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a trainer inside a run directory with the standard listeners, progress output and Ctrl-C handling. */
final class TrainingSession {

    private TrainingSession() {}

    /**
     * Trains to {@code targetEpochs}. Ctrl-C asks the loop to stop after the current step; a
     * checkpoint is written before the process exits.
     *
     * @return the exit code
     */
    static int run(RunDirectory run, GanTrainer trainer, int targetEpochs, boolean quiet) {
        RunFilesListener files = new RunFilesListener(run);
        trainer.addListener(files);
        trainer.addListener(new ParzenMonitorListener(run));
        trainer.addListener(new MetricMonitorListener(run, trainer.config()));
        dev.gantry.train.Diagnostics diagnostics = new dev.gantry.train.Diagnostics(trainer.config().diagnostics(), run::appendEvent, System.err);
        dev.gantry.classifier.FeatureNet classifier = classMeter(trainer, diagnostics);
        trainer.addListener(diagnostics);
        if (!quiet) {
            trainer.addListener(new ProgressListener(targetEpochs));
        }
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
            return trainAndReport(run, trainer, targetEpochs, files, hook);
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

    private static int trainAndReport(RunDirectory run, GanTrainer trainer, int targetEpochs, RunFilesListener files, Thread hook) {
        long start = System.nanoTime();
        GanTrainer.Outcome outcome = trainer.train(targetEpochs);
        if (outcome != GanTrainer.Outcome.INTERRUPTED) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        try {
            RunReport.write(run.path());
        } catch (RuntimeException e) {
            System.err.println("gantry: could not write the report: " + e.getMessage());
        }
        StepStats s = trainer.lastStats();
        String losses = s == null ? "" : String.format(" loss_d %.4f loss_g %.4f D(x) %.3f D(G(z)) %.3f",
                s.lossD(), s.lossG(), s.dReal(), s.dFake());
        String where = files.lastCheckpoint() == null ? "" : ", checkpoint " + run.path().relativize(files.lastCheckpoint());
        switch (outcome) {
            case FINISHED -> System.out.printf("trained %s to epoch %d (step %d) in %.1f min;%s%s; report %s%n",
                    run.path(), trainer.epoch(), trainer.step(), minutes, losses, where, run.path().resolve("report.html"));
            case INTERRUPTED -> System.out.printf("interrupted %s at epoch %d step %d%s; continue with: gantry resume %s%n",
                    run.path(), trainer.epoch(), trainer.step(), where, run.path());
            case DIVERGED -> {
                System.out.printf("DIVERGED: %s at step %d (a loss became NaN or infinite);%s the last good checkpoint is kept%s%n",
                        run.path(), trainer.step(), losses, where);
                return Main.INTERNAL_ERROR;
            }
        }
        return Main.OK;
    }
}
