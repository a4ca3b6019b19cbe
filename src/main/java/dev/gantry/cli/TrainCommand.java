package dev.gantry.cli;

import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.run.Provenance;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.GanTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry train}: starts a new run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a GAN in a new run directory (runs/NNNNN-<preset>/).",
                "Without --preset or --config, trains the paper's MNIST GAN (preset paper-mnist).",
                "Presets: paper-mnist, mnist-mlp-adam, tiny, toy-ring8, toy-grid25,",
                "dcgan-mnist, dcgan-fashion, dcgan-stacked-mnist, dcgan-cifar10 (your own files), tiny-dcgan,",
                "cgan-mnist, cdcgan-mnist (conditional GANs), bigan-mnist (learned inference), ssgan-mnist (semi-supervised)."})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Mixin
    EpochsOption epochs;

    @Option(names = "--seed", paramLabel = "S", description = "master seed (overrides seed)")
    Long seed;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "run directory (must not exist or be empty)")
    Path runDir;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where numbered run directories go (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        List<String> more = new ArrayList<>(epochs.sets());
        if (seed != null) more.add("seed=" + seed);
        RunConfig config = this.config.load(more);
        // Sizes the memory cannot hold are refused before the data are loaded or anything is made.
        dev.gantry.train.Footprint.check(config, Datasets.of(config).shape());
        ImageSet data = Datasets.trainingSet(config, System.err);
        // The networks are built (and checked against the data's shape) before the run directory
        // exists: a model that does not fit leaves nothing behind.
        MetricMonitorListener.metrics(config);   // unknown or unsuitable monitors fail before anything is made
        try (GanTrainer trainer = new GanTrainer(config, data)) {
            RunDirectory run = RunDirectory.create(runsRoot, config.preset(), runDir);
            try (RunDirectory.Lock lock = run.lock()) {
                RunDirectory.requireEmpty(run.path());   // again, now that no other process can start in it
                run.writeConfig(config);
                run.writeProvenance(Provenance.collect(config, "gantry train " + String.join(" ", commandLine())));
                return TrainingSession.run(run, trainer, config.train().epochs(), quiet.quiet);
            }
        }
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>(config.args());
        args.addAll(epochs.args());
        if (seed != null) args.add("--seed " + seed);
        if (runDir != null) args.add("--run-dir " + runDir);
        return args;
    }
}
