package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The dataset registry: {@code data.name} to its {@link Dataset}. Adding a dataset is one line here. */
public final class Datasets {

    private static final Map<String, Supplier<Dataset>> REGISTRY = new LinkedHashMap<>();

    static {
        register("mnist", MnistDataset::new);
        register("fashion-mnist", FashionMnistDataset::new);
        register("stacked-mnist", StackedMnistDataset::new);
        register("cifar10", Cifar10Dataset::new);
        register("fake", FakeDataset::new);
        register("ring8", () -> new ToyDataset(ToyMixture.RING8));
        register("grid25", () -> new ToyDataset(ToyMixture.GRID25));
    }

    private Datasets() {}

    private static void register(String name, Supplier<Dataset> factory) {
        REGISTRY.put(name, factory);
    }

    /** Every registered name, in registration order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The dataset called {@code name}.
     *
     * @throws BadInputException listing the valid names
     */
    public static Dataset named(String name) {
        Supplier<Dataset> f = REGISTRY.get(name);
        if (f == null) {
            throw new BadInputException("data.name: unknown dataset '" + name + "' (expected one of "
                    + String.join(", ", names()) + ")");
        }
        return f.get();
    }

    /** The dataset a config names. */
    public static Dataset of(RunConfig config) {
        return named(config.data().name());
    }

    /** What a config asks of its dataset when loading. */
    public static Dataset.Request request(RunConfig config, PrintStream log) {
        RunConfig.DataConfig c = config.data();
        Path dir = c.dir() == null || c.dir().isBlank() ? null : Path.of(c.dir());
        return new Dataset.Request(dir, c.trainSize(), config.seed(), log);
    }

    /** One split of the config's dataset. */
    public static ImageSet load(RunConfig config, Split split, PrintStream log) {
        return of(config).load(split, request(config, log));
    }

    /**
     * The training images of a run: the first {@code data.train_size} of the dataset's training
     * split (generated datasets generate exactly that many).
     */
    public static ImageSet trainingSet(RunConfig config, PrintStream log) {
        Dataset ds = of(config);
        ImageSet train = ds.load(Split.TRAIN, request(config, log));
        int size = config.data().trainSize();
        if (size > train.n()) {
            throw new BadInputException("data.train_size " + size + " exceeds the " + train.n()
                    + " images of " + ds.name() + "'s training split");
        }
        return size == train.n() ? train : train.slice(0, size);
    }

    /** True for the 2D mixtures (ring8, grid25). */
    public static boolean isToy(RunConfig.DataConfig c) {
        return REGISTRY.containsKey(c.name()) && named(c.name()) instanceof ToyDataset;
    }

    /** The mixture of a toy dataset. */
    public static ToyMixture mixture(RunConfig.DataConfig c) {
        if (named(c.name()) instanceof ToyDataset t) {
            return t.mixture();
        }
        throw new IllegalArgumentException(c.name() + " is not a 2D mixture");
    }
}
