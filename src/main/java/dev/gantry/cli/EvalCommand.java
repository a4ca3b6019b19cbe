package dev.gantry.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.data.format.Npy;
import dev.gantry.eval.Evaluation;
import dev.gantry.eval.Parzen10k;
import dev.gantry.models.Generator;
import dev.gantry.models.Sampler;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry eval}: metrics of a run or of a sample file. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate samples.",
        subcommands = {EvalCommand.Parzen.class, EvalCommand.Modes.class})
public final class EvalCommand extends CommandGroup {

    /** {@code gantry eval parzen}: the Parzen-window protocol of Goodfellow et al. (2014), protocols.md §2. */
    @Command(name = "parzen", mixinStandardHelpOptions = true,
            description = {"Parzen-window log-likelihood of MNIST test under 10,000 samples (the paper's Table 1 protocol).",
                    "sigma is chosen from logspace(-1, 0, 10) on validation train[50000:51000] unless --sigma is given;",
                    "prints sigma, mean and standard error over the 10,000 test images. With RUN_DIR the result is",
                    "appended to RUN_DIR/metrics.jsonl with the checkpoint it measured."})
    public static final class Parzen implements Callable<Integer> {

        static final class Source {
            @Option(names = "--samples", paramLabel = "FILE.npy", description = "samples: float32 [N, C*H*W] in [0, 1] (784 for MNIST)")
            Path samples;

            @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "a run: samples are drawn from its checkpoint")
            Path runDir;

            @Option(names = "--real-train", description = "calibration: use train[0:N] real images as the samples")
            boolean realTrain;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--sigma", paramLabel = "S", description = "kernel width; skips the selection on validation")
        Double sigma;

        @Option(names = "--n", paramLabel = "N", defaultValue = "10000", description = "number of samples (default: ${DEFAULT-VALUE})")
        int n;

        @Mixin
        CheckpointOption checkpoint;

    @Mixin
    GeneratorOption generatorOption;

        @Mixin
        NoiseSeedOption seed;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the dataset's files (default: the cache)")
        Path dataDir;

        @Option(names = "--data", paramLabel = "NAME", description = "dataset whose validation and test images are scored (default: the run's, or mnist for --samples)")
        String dataName;

        @Mixin
        JsonOption json;

        @Option(names = "--split", paramLabel = "test|valid", defaultValue = "test",
                description = "score MNIST test (the paper's Table 1), or valid = train[51000:60000] for choosing a checkpoint without touching test (default: ${DEFAULT-VALUE})")
        String split;

        @Override
        public Integer call() throws Exception {
            if (!split.equals("test") && !split.equals("valid")) {
                throw new BadInputException("--split must be test or valid (got '" + split + "')");
            }
            if (n <= 0) {
                throw new BadInputException("--n must be > 0 (got " + n + ")");
            }
            if (sigma != null && !(sigma > 0 && Double.isFinite(sigma))) {
                throw new BadInputException("--sigma must be a positive number (got " + sigma + ")");
            }
            RunDirectory run = source.runDir == null ? null : RunDirectory.open(source.runDir);
            String name = dataName != null ? dataName : run != null ? run.readConfig().data().name() : "mnist";
            Dataset dataset = Datasets.named(name);
            int dim = dataset.shape().dim();
            Dataset.Request request = new Dataset.Request(dataDir, 50_000, 0, System.err);
            // Read and check everything before computing, so bad input fails fast and changes nothing.
            float[] samples;
            String what;
            Path ckpt = null;
            if (source.samples != null) {
                Npy.Matrix m = Npy.readImages(source.samples, dim);
                if (m.rows() < n) {
                    throw new BadInputException(source.samples + " holds " + m.rows() + " samples, fewer than --n " + n);
                }
                samples = java.util.Arrays.copyOf(m.data(), n * dim);
                what = source.samples.toString();
            } else if (source.realTrain) {
                ImageSet train = dataset.load(Split.TRAIN, request);
                if (n > train.n()) {
                    throw new BadInputException("--n " + n + " exceeds the " + train.n() + " training images");
                }
                samples = train.slice(0, n).pixels();
                what = "real train[0:" + n + "]";
            } else {
                ckpt = checkpoint.resolve(run);
                try (NDManager manager = NDManager.newBaseManager()) {
                    Generator g = generatorOption.load(ckpt, manager);
                    if (g.outputDim() != dim) {
                        throw new BadInputException(ckpt + " makes " + g.outputShape() + " images, but " + name + " has " + dataset.shape());
                    }
                    Seeds.seedEngine(seed.seed, Seeds.EVAL, 0);
                    samples = Sampler.generate(g, manager, n);
                }
                what = ckpt + (generatorOption.averaged(ckpt) ? " (G's averaged weights)" : "");
            }
            // The protocol itself is the registry's parzen10k (one implementation for both commands).
            java.util.Map<String, Object> r;
            try (Evaluation ev = new Evaluation(dataset, request, split, null, System.err)) {
                r = new Parzen10k().compute(samples, n, ev, sigma);
            }
            ObjectNode o = ConfigLoader.mapper().valueToTree(r);
            o.put("source", ckpt != null ? ckpt.toString() : what);
            if (run != null && ckpt != null) {
                var meta = dev.gantry.run.Checkpoint.readMeta(ckpt);
                o.put("checkpoint", run.path().relativize(ckpt).toString());
                o.put("step", meta.path("step").asLong());
                o.put("epoch", meta.path("epoch").asInt());
                if (Checkpoint.keepsAveragedGenerator(ckpt)) {
                    o.put("generator", generatorOption.recorded(ckpt));
                }
                run.appendMetric(o);
            }
            if (json.json) {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
            } else {
                boolean paperSplit = name.equals("mnist") || name.equals("fashion-mnist");   // valid = train[50000:60000]
                System.out.printf("Parzen log-likelihood of %s %s: %.1f ± %.1f nats (sigma %.4f, %d samples from %s, %.1f s)%n",
                        name.equals("mnist") ? "MNIST" : name, split.equals("test") ? "test" : paperSplit ? "valid train[51000:60000]" : "valid[1000:]",
                        o.path("value").asDouble(), o.path("se").asDouble(), o.path("sigma").asDouble(), n, what, o.path("seconds").asDouble());
            }
            return Main.OK;
        }
    }

    /** {@code gantry eval modes}: mode coverage on a 2D mixture, the PacGAN protocol of Lin et al. (2018), protocols.md §4. */
    @Command(name = "modes", mixinStandardHelpOptions = true,
            description = {"Mode coverage of 2D samples on a Gaussian mixture (PacGAN, Lin et al. 2018):",
                    "modes captured, %% high quality (within 3 std of the nearest mean) and the",
                    "reverse KL of the mode histogram to uniform. The protocol uses 2,500 samples."})
    public static final class Modes implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--samples", required = true, paramLabel = "FILE.npy", description = "samples: float32 [N, 2]")
        Path samples;

        @Option(names = "--mixture", required = true, paramLabel = "ring8|grid25", description = "the mixture the samples should cover")
        String mixture;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws Exception {
            // Check the mixture name before reading a possibly large file.
            dev.gantry.data.ToyMixture mix = dev.gantry.data.ToyMixture.named(mixture);
            Npy.Matrix m = Npy.readFloat32(samples);
            dev.gantry.eval.ModeCoverage.Result r;
            try {
                r = new dev.gantry.eval.ModeCoverage(mix).evaluate(m);
            } catch (BadInputException e) {
                throw new BadInputException(".npy file " + samples + ": " + e.getMessage(), e);
            }
            if (m.rows() != dev.gantry.eval.ModeCoverage.PROTOCOL_SAMPLES) {
                spec.commandLine().getErr().printf("gantry: warning: %s holds %d samples; the protocol evaluates %d%n",
                        samples, m.rows(), dev.gantry.eval.ModeCoverage.PROTOCOL_SAMPLES);
                spec.commandLine().getErr().flush();
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                        .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
                ObjectNode o = mapper.createObjectNode();
                o.put("mixture", mix.name());
                o.put("source", samples.toString());
                o.setAll((ObjectNode) mapper.valueToTree(r));
                if (Double.isNaN(r.reverseKl())) {
                    o.putNull("reverse_kl"); // no HQ sample: JSON has no NaN
                }
                out.println(mapper.writeValueAsString(o));
            } else {
                String kl = Double.isNaN(r.reverseKl()) ? "undefined (no high-quality sample)"
                        : String.format(java.util.Locale.ROOT, "%.3f", r.reverseKl());
                out.printf(java.util.Locale.ROOT, "%s: %d/%d modes, %.1f%% high quality, reverse KL %s (%d samples)%n",
                        mix.name(), r.modesCaptured(), r.modes(), 100 * r.highQualityFraction(), kl, r.samples());
            }
            out.flush();
            return Main.OK;
        }
    }
}
