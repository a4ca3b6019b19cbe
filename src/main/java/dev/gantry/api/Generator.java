package dev.gantry.api;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.data.format.Npy;
import dev.gantry.models.Conditioning;
import dev.gantry.models.Sampler;
import dev.gantry.report.ImageGrid;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained generator G, restored from a checkpoint by itself (no discriminator, no optimizer):
 * G maps noise z drawn from the prior p(z) to images, the generative model of Goodfellow et al.
 * (2014). Samples come from evaluation passes (dropout off, batch normalisation on its running
 * averages), as images in [0, 1] with each row channel-major (C, then rows, then columns): 784 =
 * 1·28·28 values for MNIST.
 *
 * <p>The same seed gives the same samples as {@code gantry sample RUN_DIR --seed S}, bit for bit
 * on the same thread count. A conditional generator (Mirza &amp; Osindero 2014; {@code
 * model.conditional}) draws the class each sample is given, or every class in turn.
 *
 * <p>A run that kept a moving average of G's parameters ({@code train.g_average}, Yazıcı et al.
 * 2019) is sampled with that average, as {@code gantry sample} does by default; {@link
 * #fromCheckpoint(Path, boolean)} chooses the last weights instead.
 *
 * <p>Holds native memory: close it (try-with-resources). Not for use from two threads at once.
 */
public final class Generator implements AutoCloseable {

    /** The most values one Java float array holds. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private final Path checkpoint;
    private final RunConfig config;
    private final long step;
    private final int epoch;
    private final NDManager manager;
    private final dev.gantry.models.Generator g;
    private boolean closed;

    private final boolean averaged;

    private Generator(Path checkpoint) {
        this(checkpoint, Checkpoint.keepsAveragedGenerator(checkpoint));
    }

    private Generator(Path checkpoint, boolean averaged) {
        JsonNode meta = Checkpoint.readMeta(checkpoint);   // format, version and counters checked
        this.averaged = averaged;
        this.checkpoint = checkpoint;
        this.config = Checkpoint.config(checkpoint);
        this.step = meta.get("step").asLong();
        this.epoch = meta.get("epoch").asInt();
        this.manager = NDManager.newBaseManager();
        try {
            this.g = averaged ? Checkpoint.averagedGenerator(checkpoint, manager) : Checkpoint.generator(checkpoint, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The generator of a run's newest checkpoint.
     *
     * @param runDir a run directory made by {@link Experiment#train()} or {@code gantry train}
     * @return the generator
     * @throws BadInputException when the directory is not a run or holds no checkpoint
     */
    public static Generator fromRun(Path runDir) {
        return new Generator(Checkpoint.latest(RunDirectory.open(runDir).checkpoints()));
    }

    /**
     * The generator of the checkpoint a run wrote at {@code step}.
     *
     * @param runDir a run directory
     * @param step the step of one of its checkpoints (checkpoints/step-NNNNNNNNN.ckpt)
     * @return the generator
     * @throws BadInputException when the run has no checkpoint of that step, listing those it has
     */
    public static Generator fromRun(Path runDir, long step) {
        return new Generator(Checkpoint.atStep(RunDirectory.open(runDir).checkpoints(), step));
    }

    /**
     * The generator of one checkpoint file.
     *
     * @param file a checkpoint ({@code .ckpt}), which holds the config that made it
     * @return the generator
     * @throws BadInputException when the file is missing or not a sound Gantry checkpoint
     */
    public static Generator fromCheckpoint(Path file) {
        return new Generator(file);
    }

    /**
     * The generator of one checkpoint file, with the moving average of G's parameters its run
     * kept ({@code averagedWeights}) or with G's last weights.
     *
     * @param file a checkpoint ({@code .ckpt})
     * @param averagedWeights the average ({@code train.g_average}) rather than the last weights
     * @return the generator
     * @throws BadInputException when the file is not a sound checkpoint, or {@code averagedWeights}
     *     asks for an average its run did not keep
     */
    public static Generator fromCheckpoint(Path file, boolean averagedWeights) {
        return new Generator(file, averagedWeights);
    }

    /**
     * Whether this generator samples with the moving average of G's parameters rather than its last weights.
     *
     * @return true for the average ({@code train.g_average}), false for the last weights
     */
    public boolean averagedWeights() {
        return averaged;
    }

    /**
     * {@code n} samples with noise seed 0, as {@code gantry sample} draws them by default.
     *
     * @param n how many, &gt; 0
     * @return [n, C·H·W] in [0, 1], row after row
     */
    public float[] sample(int n) {
        return sample(n, 0);
    }

    /**
     * {@code n} samples; a conditional generator draws sample i of class i mod K.
     *
     * @param n how many, &gt; 0
     * @param seed the seed of the noise
     * @return [n, C·H·W] in [0, 1], row after row
     */
    public float[] sample(int n, long seed) {
        return sample(n, seed, null);
    }

    /**
     * {@code n} samples of given classes, from a conditional generator.
     *
     * @param n how many, &gt; 0
     * @param seed the seed of the noise (the noise is the same whatever the classes)
     * @param classes the class of each sample (n of them, each in 0 to {@link #classes()} − 1), or
     *     null for every class in turn; must be null for an unconditional generator
     * @return [n, C·H·W] in [0, 1], row after row
     * @throws BadInputException when n or a class is out of range
     */
    public synchronized float[] sample(int n, long seed, int[] classes) {
        requireOpen();
        if (n <= 0) {
            throw new BadInputException("sample: n must be > 0 (got " + n + ")");
        }
        if ((long) n * dim() > MAX_VALUES) {
            throw new BadInputException("sample: " + n + " samples of " + dim() + " values exceed the " + MAX_VALUES
                    + " values one float array holds (at most " + MAX_VALUES / dim() + ")");
        }
        if (classes != null) {
            if (g.classes() == 0) {
                throw new BadInputException("sample: classes given, but " + checkpoint + " was trained unconditionally"
                        + " (model.conditional = false)");
            }
            if (classes.length != n) {
                throw new BadInputException("sample: " + classes.length + " classes for " + n + " samples; expected one per sample");
            }
            for (int c : classes) {
                if (c < 0 || c >= g.classes()) {
                    throw new BadInputException("sample: class " + c + " out of range; the run's classes are 0 to " + (g.classes() - 1));
                }
            }
        }
        Seeds.seedEngine(seed, Seeds.EVAL, 0);
        return classes == null ? Sampler.generate(g, manager, n) : Sampler.generate(g, manager, n, classes.clone());
    }

    /**
     * Writes {@code n} samples as a square-ish PNG grid, as {@code gantry sample --out F.png}
     * does (a conditional generator: every class in turn).
     *
     * @param out the file, ending in .png; never overwritten
     * @param n how many images
     * @param seed the seed of the noise
     * @return {@code out}
     * @throws BadInputException when {@code out} exists or does not end in .png
     */
    public Path writePng(Path out, int n, long seed) {
        requireNew(out, ".png");
        float[] x = sample(n, seed);
        ImageGrid.writePng(out, x, n, shape(), (int) Math.ceil(Math.sqrt(n)), 2);
        return out;
    }

    /**
     * Writes {@code n} samples as a NumPy file, float32 [n, C·H·W], as {@code gantry sample --out
     * F.npy} does; {@code gantry eval METRIC --samples F.npy} reads it.
     *
     * @param out the file, ending in .npy; never overwritten
     * @param n how many samples
     * @param seed the seed of the noise
     * @return {@code out}
     * @throws BadInputException when {@code out} exists or does not end in .npy
     */
    public Path writeNpy(Path out, int n, long seed) {
        requireNew(out, ".npy");
        float[] x = sample(n, seed);
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Npy.writeFloat32(out, x, n, dim());
        return out;
    }

    /**
     * Evaluates a registered metric on this generator's samples (noise seed 0) against the test
     * split of the data it was trained on, as {@code gantry eval METRIC RUN_DIR} does.
     *
     * @param metric a name of {@link Metrics#names()}, e.g. {@code parzen10k}
     * @return the result
     * @throws BadInputException when the metric is unknown or cannot judge this dataset
     */
    public MetricResult evaluate(String metric) {
        return Metrics.evaluate(metric, this, 0);
    }

    /**
     * Channels of the images (1 for MNIST, 3 for CIFAR-10).
     *
     * @return C
     */
    public int channels() {
        return g.outputShape().channels();
    }

    /**
     * Height of the images in pixels.
     *
     * @return H
     */
    public int height() {
        return g.outputShape().height();
    }

    /**
     * Width of the images in pixels.
     *
     * @return W
     */
    public int width() {
        return g.outputShape().width();
    }

    /**
     * Values per sample.
     *
     * @return C·H·W
     */
    public int dim() {
        return g.outputDim();
    }

    /**
     * The dimension of the noise z.
     *
     * @return {@code model.noise_dim}
     */
    public int noiseDim() {
        return g.noiseDim();
    }

    /**
     * The classes a conditional generator draws.
     *
     * @return K, or 0 for an unconditional generator
     */
    public int classes() {
        return g.classes();
    }

    /**
     * The dataset it was trained on.
     *
     * @return {@code data.name}, e.g. {@code mnist}
     */
    public String dataName() {
        return config.data().name();
    }

    /**
     * The checkpoint it was restored from.
     *
     * @return the file
     */
    public Path checkpoint() {
        return checkpoint;
    }

    /**
     * The training step the checkpoint was written at.
     *
     * @return the step
     */
    public long step() {
        return step;
    }

    /**
     * The epochs completed when the checkpoint was written.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }

    /** Frees the generator's native memory; sampling afterwards fails. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    RunConfig config() {
        return config;
    }

    ImageShape shape() {
        return g.outputShape();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this generator (" + checkpoint + ") is closed");
        }
    }

    private static void requireNew(Path out, String extension) {
        if (out == null || !out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(extension)) {
            throw new BadInputException("output file " + out + ": expected a file name ending in " + extension);
        }
        if (Files.exists(out)) {
            throw new BadInputException("output file " + out + " already exists; Gantry never overwrites an existing file");
        }
    }
}
