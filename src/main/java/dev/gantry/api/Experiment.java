package dev.gantry.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.BadInputException;
import dev.gantry.cli.TrainingSession;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run to be: a resolved, validated config and where its run directory goes. Training
 * follows the config, as {@code gantry train} does: the minimax game of Goodfellow et al. (2014)
 * in the authors' simultaneous schedule or the paper's Algorithm 1 ({@code train.schedule}), with
 * the networks, loss and optimizer the config names (DCGAN of Radford et al. 2016, WGAN-GP of
 * Gulrajani et al. 2017, ...; {@code gantry config keys} lists every key).
 *
 * <p>Built with {@link #builder()}: {@code setPreset} (or {@code optConfigFile}) is required,
 * everything else optional. {@link Builder#build()} resolves and validates the config, so a
 * wrong key or value fails there, before anything is written:
 *
 * <pre>{@code
 * Experiment e = Experiment.builder().setPreset("paper-mnist").optSet("optim.lr", 0.05).optSeed(7).build();
 * TrainingResult r = e.train();
 * }</pre>
 */
public final class Experiment {

    private final RunConfig config;
    private final Path runsRoot;
    private final Path runDirectory;
    private final List<TrainingListener> listeners;
    private final boolean progressBar;
    private final PrintStream log;
    private final String description;

    private Experiment(Builder b, RunConfig config) {
        this.config = config;
        this.runsRoot = b.runsRoot;
        this.runDirectory = b.runDirectory;
        this.listeners = List.copyOf(b.listeners);
        this.progressBar = b.progressBar;
        this.log = b.log;
        this.description = b.description();
    }

    /**
     * A builder for an experiment.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The name of the preset (or config file) the config started from; the run directory's name
     * ends in it.
     *
     * @return e.g. {@code tiny}
     */
    public String preset() {
        return config.preset();
    }

    /**
     * The master seed: the networks' initial weights, the noise, dropout and the data order
     * derive from it.
     *
     * @return the seed
     */
    public long seed() {
        return config.seed();
    }

    /**
     * How many epochs training runs ({@code train.epochs}).
     *
     * @return the number of passes over the training set
     */
    public int epochs() {
        return config.train().epochs();
    }

    /**
     * The resolved value of one config key, as text.
     *
     * @param key a key as {@code optSet} takes it, e.g. {@code optim.lr}
     * @return the value, e.g. {@code 0.1}
     * @throws BadInputException naming the key when there is no such key
     */
    public String get(String key) {
        JsonNode node = key == null || key.isBlank() ? null
                : ConfigLoader.mapper().valueToTree(config).at("/" + key.trim().replace('.', '/'));
        if (node == null || node.isMissingNode() || node.isObject()) {
            throw new BadInputException("Experiment.get: unknown config key '" + key + "' (gantry config keys lists them)");
        }
        return node.asText();
    }

    /**
     * The resolved config as JSON, as the run's config.json will hold it.
     *
     * @return the config
     */
    public String toJson() {
        return ConfigLoader.toJson(config);
    }

    /**
     * Trains in a new run directory, as {@code gantry train} does: the data are loaded and the
     * networks built first (a model that does not fit the data leaves nothing behind); then the
     * run directory is created and locked, config.json and provenance.json are written, and
     * training runs with the standard listeners (stats, sample grids, checkpoints, monitors,
     * alarms) and then this experiment's; report.html is written at the end. If the process is
     * asked to exit meanwhile (Ctrl-C), training stops after the current step and a checkpoint
     * is written first.
     *
     * @return how training ended
     * @throws BadInputException when the run directory exists and is not empty, or the data
     *     cannot be loaded, naming what is wrong; nothing existing is changed
     * @throws UncheckedIOException when a file cannot be written
     */
    public TrainingResult train() {
        List<dev.gantry.train.TrainingListener> extra = new ArrayList<>(TrainingSession.progress(!progressBar, epochs()));
        listeners.forEach(l -> extra.add(new ListenerAdapter(l, epochs())));
        TrainingSession.Result r;
        try {
            r = TrainingSession.start(config, runsRoot, runDirectory, description, extra, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var s = r.lastStats();
        return new TrainingResult(r.runDir(), TrainingResult.Outcome.valueOf(r.outcome().name()), r.epoch(), r.step(),
                r.lastCheckpoint(), s == null ? Double.NaN : s.lossD(), s == null ? Double.NaN : s.lossG(), r.minutes());
    }

    /**
     * Builds an {@link Experiment}: {@code setX} for what is required, {@code optX} for what is
     * optional, as DJL's builders. The config is resolved as the command line resolves it: the
     * paper's defaults, then the preset, then the config file, then every {@code optSet} in order,
     * then {@code optEpochs} and {@code optSeed}.
     */
    public static final class Builder {

        private String preset;
        private Path configFile;
        private final List<String> sets = new ArrayList<>();
        private Integer epochs;
        private Long seed;
        private Path runDirectory;
        private Path runsRoot = Path.of("runs");
        private final List<TrainingListener> listeners = new ArrayList<>();
        private boolean progressBar;
        private PrintStream log = System.err;

        private Builder() {}

        /**
         * The preset the config starts from (required unless {@link #optConfigFile} is given).
         *
         * @param name one of {@link Gantry#presets()}, e.g. {@code paper-mnist} or {@code tiny}
         * @return this builder
         */
        public Builder setPreset(String name) {
            this.preset = name;
            return this;
        }

        /**
         * A JSON config file, over the preset if one is set (it may say {@code "extends": "PRESET"}).
         *
         * @param file the file
         * @return this builder
         */
        public Builder optConfigFile(Path file) {
            this.configFile = file;
            return this;
        }

        /**
         * Overrides one config key, as {@code gantry train --set key=value} does.
         *
         * @param key a key, e.g. {@code optim.lr} ({@code gantry config keys} lists them)
         * @param value its value: a number, a boolean or a string, checked against the key's type in {@link #build()}
         * @return this builder
         */
        public Builder optSet(String key, Object value) {
            if (key == null || key.isBlank() || key.contains("=")) {
                throw new BadInputException("optSet: expected a config key such as optim.lr, got '" + key + "'");
            }
            if (value == null) {
                throw new BadInputException("optSet " + key + ": expected a value, got null");
            }
            sets.add(key.trim() + "=" + value);
            return this;
        }

        /**
         * How many epochs to train ({@code train.epochs}).
         *
         * @param epochs passes over the training set, &gt; 0
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * The master seed ({@code seed}).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The run directory itself: it must not exist, or be empty. Without it, the run gets the
         * next numbered directory {@code NNNNN-<preset>} under {@link #optRunsRoot}.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder optRunDirectory(Path dir) {
            this.runDirectory = dir;
            return this;
        }

        /**
         * Where numbered run directories go (default {@code runs}, relative to the working directory).
         *
         * @param root the parent of the run directories
         * @return this builder
         */
        public Builder optRunsRoot(Path root) {
            this.runsRoot = java.util.Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * Adds a listener, called after the standard ones (repeatable; called in the order added).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optListener(TrainingListener listener) {
            this.listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether to draw the command line's progress bar on standard error (default false).
         *
         * @param on true for a progress bar
         * @return this builder
         */
        public Builder optProgressBar(boolean on) {
            this.progressBar = on;
            return this;
        }

        /**
         * Where data fetching, alarms and warnings are reported (default standard error).
         *
         * @param log the stream
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = java.util.Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Resolves and validates the config.
         *
         * @return the experiment
         * @throws BadInputException naming the preset, file or key that is wrong and what was expected
         */
        public Experiment build() {
            if (preset == null && configFile == null) {
                throw new BadInputException("Experiment.builder(): setPreset(NAME) or optConfigFile(FILE) is required (presets: "
                        + String.join(", ", ConfigLoader.PRESETS) + ")");
            }
            List<String> all = new ArrayList<>(sets);
            if (epochs != null) all.add("train.epochs=" + epochs);
            if (seed != null) all.add("seed=" + seed);
            return new Experiment(this, ConfigLoader.load(preset, configFile, all));
        }

        /** What made the run, for provenance.json. */
        private String description() {
            List<String> parts = new ArrayList<>();
            if (preset != null) parts.add("setPreset " + preset);
            if (configFile != null) parts.add("optConfigFile " + configFile);
            sets.forEach(s -> parts.add("optSet " + s));
            if (epochs != null) parts.add("optEpochs " + epochs);
            if (seed != null) parts.add("optSeed " + seed);
            if (runDirectory != null) parts.add("optRunDirectory " + runDirectory);
            return "dev.gantry.api.Experiment: " + String.join(", ", parts);
        }
    }
}
