package dev.gantry.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.classifier.ClassifierTrainer;
import dev.gantry.classifier.FeatureNet;
import dev.gantry.classifier.LeNet;
import dev.gantry.config.ConfigLoader;
import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.run.Provenance;
import dev.gantry.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry classifier}: the frozen feature networks behind the MNIST-domain metrics. */
@Command(name = "classifier", mixinStandardHelpOptions = true, description = "Train the frozen feature network of a dataset.",
        subcommands = ClassifierCommand.Train.class)
public final class ClassifierCommand extends CommandGroup {

    /** {@code gantry classifier train --data NAME}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a LeNet-style CNN on train[0:50000], choose the epoch on validation, score test once,",
                    "and write the weights with their SHA-256 and the command that made them.",
                    "Deterministic for a given seed and thread count."})
    public static final class Train implements Callable<Integer> {

        @Option(names = "--data", required = true, paramLabel = "NAME", description = "a labelled dataset: mnist or fashion-mnist")
        String data;

        @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 8 for mnist, 15 for fashion-mnist)")
        Integer epochs;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1234", description = "seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", paramLabel = "FILE", description = "weights file (default: NAME-lenet.zip; never overwritten)")
        Path out;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the dataset's files (default: the cache)")
        Path dataDir;

        @Option(names = "--quiet", description = "no progress bar")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            if (!List.of("mnist", "fashion-mnist").contains(data)) {
                throw new BadInputException("--data must be mnist or fashion-mnist (got '" + data + "')");
            }
            Path file = out != null ? out : Path.of(data + "-lenet.zip");
            if (Files.exists(file)) {
                throw new BadInputException("--out " + file + " already exists; Gantry never overwrites an existing file");
            }
            ClassifierTrainer.Options d = ClassifierTrainer.Options.defaults(data);
            ClassifierTrainer.Options o = new ClassifierTrainer.Options(epochs == null ? d.epochs() : epochs, d.batchSize(), d.lr(), seed);
            if (o.epochs() <= 0) {
                throw new BadInputException("--epochs must be > 0 (got " + o.epochs() + ")");
            }
            Dataset ds = Datasets.named(data);
            Dataset.Request request = new Dataset.Request(dataDir, 50_000, seed, System.err);
            Seeds.seedEngine(seed, Seeds.INIT, 0);
            try (NDManager manager = NDManager.newBaseManager()) {
                LeNet net = new LeNet(manager, ds.shape(), ds.classNames().size());
                ProgressBar bar = quiet ? null : new ProgressBarBuilder().setTaskName("classifier " + data)
                        .setInitialMax((long) o.epochs() * (50_000 / o.batchSize())).setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" steps", 1).setUpdateIntervalMillis(500).setMaxRenderedLength(100).showSpeed().build();
                ClassifierTrainer.Result r;
                try {
                    r = ClassifierTrainer.train(net, manager, ds, request, o, System.err, done -> {
                        if (bar != null) bar.stepTo(done);
                    });
                } finally {
                    if (bar != null) bar.close();
                }
                ObjectNode meta = ConfigLoader.mapper().createObjectNode();
                meta.put("dataset", data);
                meta.put("test_accuracy", r.testAccuracy());
                meta.put("valid_accuracy", r.validAccuracy());
                meta.put("best_epoch", r.bestEpoch());
                meta.put("epochs", o.epochs());
                meta.put("seed", seed);
                meta.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
                meta.put("command", "gantry classifier train --data " + data + " --epochs " + o.epochs() + " --seed " + seed);
                meta.put("gantry", Provenance.gantryVersion());
                meta.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
                meta.put("train_seconds", Math.round(r.seconds()));
                String sha = FeatureNet.save(net, meta, file);
                System.out.printf("wrote %s: %s LeNet, test accuracy %.4f (validation %.4f, epoch %d of %d, %.0f s), SHA-256 %s%n",
                        file, data, r.testAccuracy(), r.validAccuracy(), r.bestEpoch(), o.epochs(), r.seconds(), sha);
            }
            return Main.OK;
        }
    }
}
