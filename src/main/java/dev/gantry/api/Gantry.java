package dev.gantry.api;

import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.losses.AdversarialLoss;
import dev.gantry.losses.Losses;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Static factories and the registries' names: the front door of Gantry as a library. Gantry
 * trains and evaluates generative adversarial networks (Goodfellow et al. 2014) on the JVM with
 * DJL's PyTorch engine.
 *
 * <pre>{@code
 * TrainingResult r = Gantry.experiment("tiny").optSeed(7).build().train();
 * try (Generator g = Gantry.generator(r.runDirectory())) { float[] x = g.sample(16); }
 * }</pre>
 */
public final class Gantry {

    private Gantry() {}

    /**
     * A builder of an experiment that starts from a preset.
     *
     * @param preset one of {@link #presets()}
     * @return the builder, with the preset set
     */
    public static Experiment.Builder experiment(String preset) {
        return Experiment.builder().setPreset(preset);
    }

    /**
     * The generator of a run's newest checkpoint.
     *
     * @param runDir a run directory
     * @return the generator (close it)
     * @throws BadInputException when the directory is not a run or holds no checkpoint
     */
    public static Generator generator(Path runDir) {
        return Generator.fromRun(runDir);
    }

    /**
     * The presets {@link Experiment.Builder#setPreset} accepts.
     *
     * @return e.g. {@code paper-mnist} (the paper's MNIST GAN), {@code tiny} (fake data, for tests), ...
     */
    public static List<String> presets() {
        return ConfigLoader.PRESETS;
    }

    /**
     * The names {@code loss.name} accepts now: Gantry's ({@code gan}, {@code wasserstein},
     * {@code hinge}, {@code least-squares}, ...) and those registered with {@link #registerLoss}.
     *
     * @return the names
     */
    public static List<String> losses() {
        return Losses.names();
    }

    /**
     * The registered metrics' names (see {@link Metrics}).
     *
     * @return e.g. {@code parzen10k}, {@code fid-lenet10k}
     */
    public static List<String> metrics() {
        return Metrics.names();
    }

    /**
     * Registers a loss of your own under {@code name}, for this process: from then on
     * {@code optSet("loss.name", name)} trains with it, every trainer calling {@code factory} for
     * its own instance. The run directory and checkpoints record the name, not the code: register
     * the loss again in a process that resumes a run trained with it, or restores its generator.
     *
     * @param name lower case letters, digits and inner hyphens, e.g. {@code smoothed-gan}; not one already registered
     * @param factory makes the loss
     * @throws BadInputException when the name is malformed or taken
     */
    public static void registerLoss(String name, Supplier<? extends Loss> factory) {
        java.util.Objects.requireNonNull(factory, "factory");
        Losses.register(name, c -> adapt(name, factory.get()));
    }

    /**
     * Gantry's version.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}
     */
    public static String version() {
        return dev.gantry.run.Provenance.gantryVersion();
    }

    /** A user's loss as the trainer's, checking that it gives scalars. */
    private static AdversarialLoss adapt(String name, Loss loss) {
        if (loss == null) {
            throw new BadInputException("loss '" + name + "': its factory returned null");
        }
        return new AdversarialLoss() {
            @Override
            public ai.djl.ndarray.NDArray discriminator(ai.djl.ndarray.NDArray realLogits, ai.djl.ndarray.NDArray fakeLogits) {
                return scalar(loss.discriminator(realLogits, fakeLogits), "discriminator");
            }

            @Override
            public ai.djl.ndarray.NDArray generator(ai.djl.ndarray.NDArray fakeLogits) {
                return scalar(loss.generator(fakeLogits), "generator");
            }

            private ai.djl.ndarray.NDArray scalar(ai.djl.ndarray.NDArray x, String which) {
                if (x == null || x.size() != 1) {
                    throw new BadInputException("loss '" + name + "': " + which + "(...) returned "
                            + (x == null ? "null" : "an array of shape " + x.getShape()) + "; expected a scalar (e.g. take .mean())");
                }
                return x.getShape().dimension() == 0 ? x : x.reshape(new ai.djl.ndarray.types.Shape());
            }
        };
    }
}
