package dev.gantry.cli;

import dev.gantry.config.RunConfig;
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
                "Presets: paper-mnist, paper-mnist-ema (sampled by the average of G's weights), paper-mnist-ema-slow (a slower average, trained longer),",
                "mnist-mlp-adam, tiny, toy-ring8, toy-grid25,",
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
        // The same path as the Java API's Experiment.train(): TrainingSession.start.
        TrainingSession.Result result = TrainingSession.start(config, runsRoot, runDir,
                "gantry train " + String.join(" ", commandLine()), TrainingSession.progress(quiet.quiet, config.train().epochs()), System.err);
        return TrainingSession.exitCode(result, System.out);
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>(config.args());
        args.addAll(epochs.args());
        if (seed != null) args.add("--seed " + seed);
        if (runDir != null) args.add("--run-dir " + runDir);
        return args;
    }
}
