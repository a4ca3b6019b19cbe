package dev.gantry.cli;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.train.GanTrainer;
import dev.gantry.run.Provenance;
import dev.gantry.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry train}: starts a new run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a GAN in a new run directory (runs/NNNNN-<preset>/).",
                "Without --preset or --config, trains the paper's MNIST GAN (preset paper-mnist).",
                "Presets: paper-mnist, mnist-mlp-adam, tiny, toy-ring8, toy-grid25,",
                "dcgan-mnist, dcgan-fashion, dcgan-stacked-mnist, dcgan-cifar10 (your own files), tiny-dcgan."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME", description = "a named preset (default paper-mnist unless --config is given)")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "a JSON config file (may say \"extends\": \"PRESET\")")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key, e.g. --set optim.lr=0.05 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", description = "number of epochs (overrides train.epochs)")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "master seed (overrides seed)")
    Long seed;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "run directory (must not exist or be empty)")
    Path runDir;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where numbered run directories go (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(sets);
        if (epochs != null) all.add("train.epochs=" + epochs);
        if (seed != null) all.add("seed=" + seed);
        String name = preset == null && configFile == null ? "paper-mnist" : preset;
        RunConfig config = ConfigLoader.load(name, configFile, all);
        ImageSet data = Datasets.trainingSet(config, System.err);
        RunDirectory run = RunDirectory.create(runsRoot, config.preset(), runDir);
        run.writeConfig(config);
        run.writeProvenance(Provenance.collect(config, "gantry train " + String.join(" ", commandLine())));
        try (GanTrainer trainer = new GanTrainer(config, data)) {
            return TrainingSession.run(run, trainer, config.train().epochs(), quiet);
        }
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        if (preset != null) args.add("--preset " + preset);
        if (configFile != null) args.add("--config " + configFile);
        sets.forEach(s -> args.add("--set " + s));
        if (epochs != null) args.add("--epochs " + epochs);
        if (seed != null) args.add("--seed " + seed);
        if (runDir != null) args.add("--run-dir " + runDir);
        return args;
    }
}
