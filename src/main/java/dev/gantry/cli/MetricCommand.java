package dev.gantry.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.classifier.FeatureSpace;
import dev.gantry.config.ConfigLoader;
import dev.gantry.data.format.Npy;
import dev.gantry.eval.Evaluation;
import dev.gantry.eval.Metric;
import dev.gantry.eval.Metrics;
import dev.gantry.models.Generator;
import dev.gantry.models.Sampler;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry eval METRIC} for every metric of the registry, and {@code gantry eval all}: the
 * metric computed on a sample file or on samples drawn from a run's checkpoint; with a run, each
 * result is appended to its metrics.jsonl with the checkpoint and the network it used. Everything
 * is read and checked before anything is computed or written.
 */
@Command(mixinStandardHelpOptions = true)
final class MetricCommand implements Callable<Integer> {

    /** Registers one subcommand per metric, and {@code all}, under {@code eval}. */
    static void register(picocli.CommandLine eval) {
        for (String name : Metrics.names()) {
            Metric m = Metrics.named(name);
            picocli.CommandLine sub = new picocli.CommandLine(new MetricCommand(List.of(m)));
            sub.getCommandSpec().usageMessage().description(m.description().replace("%", "%%"),   // picocli formats descriptions: a literal % is %%
                    "With RUN_DIR, samples are drawn from its checkpoint and the result is appended to RUN_DIR/metrics.jsonl.");
            eval.addSubcommand(name, sub);
        }
        picocli.CommandLine all = new picocli.CommandLine(new MetricCommand(null));
        all.getCommandSpec().usageMessage().description("Every registered metric that applies to the dataset, one line each with its time: "
                + String.join(", ", Metrics.names()) + ".");
        eval.addSubcommand("all", all);
        eval.addSubcommand("calibrate", new picocli.CommandLine(new CalibrateCommand()));
    }

    static final class Source {
        @Option(names = "--samples", paramLabel = "FILE.npy", description = "samples: float32 [N, C*H*W] in [0, 1]")
        Path samples;

        @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "a run: samples are drawn from its checkpoint")
        Path runDir;
    }

    private final List<Metric> fixed;

    MetricCommand(List<Metric> metrics) {
        this.fixed = metrics;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    GeneratorOption generatorOption;

    @Mixin
    NoiseSeedOption seed;

    @Mixin
    JsonOption json;

    @Option(names = "--data", paramLabel = "NAME", description = "the dataset the samples imitate (default: the run's, or mnist for --samples)")
    String dataName;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the dataset's files (default: the cache)")
    Path dataDir;

    @Option(names = "--classifier", paramLabel = "FILE", description = "a feature network to use instead of the shipped one")
    Path classifier;

    @Option(names = "--split", paramLabel = "test|valid", defaultValue = "test",
            description = "reference images: test (report) or valid (choose checkpoints without touching test) (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--features", paramLabel = "OUT.npy",
            description = "write the features a metric used: the samples' as OUT.npy, the reference's as OUT-reference.npy (never overwritten)")
    Path features;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = source.runDir == null ? null : RunDirectory.open(source.runDir);
        String name = dataName != null ? dataName : run != null ? run.readConfig().data().name() : "mnist";
        if (features != null) {
            List<Path> outs = new ArrayList<>(List.of(features, referencePath(features)));
            for (FeatureSpace space : FeatureSpace.values()) {
                outs.add(spacePath(features, space));
                outs.add(referencePath(spacePath(features, space)));
            }
            for (Path p : outs) {
                if (Files.exists(p)) {
                    throw new BadInputException("--features: " + p + " already exists; Gantry never overwrites an existing file");
                }
            }
        }
        try (Evaluation ev = Evaluation.of(name, dataDir, split, classifier, System.err)) {
            if (run != null && run.readConfig().model().conditional()) {
                ev.conditional(ev.dataset().classNames().size());   // Sampler draws sample i of class i mod K
            }
            List<Metric> metrics = new ArrayList<>();
            for (Metric m : fixed != null ? fixed : Metrics.names().stream().map(Metrics::named).toList()) {
                String why = m.unsuitable(ev);
                if (why == null) {
                    metrics.add(m);
                } else if (fixed != null) {
                    throw new BadInputException(m.name() + ": " + why);
                } else {
                    System.err.println("gantry: skipping " + m.name() + ": " + why);
                }
            }
            if (metrics.isEmpty()) {
                throw new BadInputException("no metric applies to " + name);
            }
            int needed = metrics.stream().mapToInt(Metric::samples).max().orElse(0);
            int dim = ev.dataset().shape().dim();
            float[] samples;
            int n;
            Path ckpt = null;
            String what;
            if (source.samples != null) {
                Npy.Matrix m = Npy.readImages(source.samples, dim);   // width, NaN and [0, 1] checked
                if (m.rows() < needed) {
                    throw new BadInputException(source.samples + " holds " + m.rows() + " samples; "
                            + metrics.stream().filter(x -> x.samples() > m.rows()).map(Metric::name).findFirst().orElse("")
                            + " needs " + needed);
                }
                samples = m.data();
                n = m.rows();
                what = source.samples.toString();
            } else {
                ckpt = checkpoint.resolve(run);
                try (NDManager manager = NDManager.newBaseManager()) {
                    Generator g = generatorOption.load(ckpt, manager);
                    if (g.outputDim() != dim) {
                        throw new BadInputException(ckpt + " makes " + g.outputShape() + " images, but " + name + " has " + ev.dataset().shape());
                    }
                    Seeds.seedEngine(seed.seed, Seeds.EVAL, 0);
                    samples = Sampler.generate(g, manager, needed);
                    n = needed;
                }
                for (float v : samples) {
                    if (!(v >= 0f && v <= 1f)) {
                        throw new BadInputException(ckpt + " generates a value " + v + " outside [0, 1] (diverged weights?)");
                    }
                }
                what = ckpt.toString();
            }
            List<ObjectNode> results = new ArrayList<>();
            for (Metric m : metrics) {
                long start = System.nanoTime();
                Map<String, Object> r = m.compute(samples, n, ev);
                double seconds = (System.nanoTime() - start) / 1e9;
                ObjectNode o = ConfigLoader.mapper().valueToTree(r);
                o.put("seconds", Math.round(seconds * 100) / 100.0);
                o.put("source", what);
                if (run != null) {
                    var meta = Checkpoint.readMeta(ckpt);
                    o.put("checkpoint", run.path().relativize(ckpt).toString());
                    o.put("step", meta.path("step").asLong());
                    o.put("epoch", meta.path("epoch").asInt());
                    if (Checkpoint.keepsAveragedGenerator(ckpt)) {
                        o.put("generator", generatorOption.recorded(ckpt));
                    }
                }
                results.add(o);
                if (json.json) {
                    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
                } else {
                    System.out.println(summary(o));
                }
            }
            if (features != null) {
                writeFeatures(ev, metrics, samples, Math.min(n, Evaluation.REFERENCE_SIZE));
            }
            if (run != null) {
                results.forEach(run::appendMetric);
            }
        }
        return Main.OK;
    }

    /**
     * The features the metrics measured in: OUT.npy and OUT-reference.npy when they share one
     * space; with several (as {@code all} has), one pair per space, OUT-SPACE.npy and
     * OUT-SPACE-reference.npy.
     */
    private void writeFeatures(Evaluation ev, List<Metric> metrics, float[] samples, int n) throws java.io.IOException {
        List<FeatureSpace> spaces = metrics.stream().map(Metric::featureSpace).filter(java.util.Objects::nonNull).distinct().toList();
        if (spaces.isEmpty()) {
            System.err.println("gantry: --features: none of " + metrics.stream().map(Metric::name).toList()
                    + " measures in the classifier's features; nothing written");
            return;
        }
        for (FeatureSpace space : spaces) {
            Path out = spaces.size() == 1 ? features : spacePath(features, space);
            float[] f = ev.features(samples, n, space);
            Npy.writeFloat32(out, f, n, space.width());
            float[] rf = ev.referenceFeatures(space);
            Npy.writeFloat32(referencePath(out), rf, rf.length / space.width(), space.width());
            System.err.println("gantry: " + space.key() + " features written to " + out + " and " + referencePath(out));
        }
    }

    static Path spacePath(Path features, FeatureSpace space) {
        String f = features.getFileName().toString();
        String stem = f.endsWith(".npy") ? f.substring(0, f.length() - 4) : f;
        return features.resolveSibling(stem + "-" + space.key() + ".npy");
    }

    static Path referencePath(Path features) {
        String f = features.getFileName().toString();
        String stem = f.endsWith(".npy") ? f.substring(0, f.length() - 4) : f;
        return features.resolveSibling(stem + "-reference.npy");
    }

    private static String summary(ObjectNode o) {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%-18s %10.4f", o.path("metric").asText(), o.path("value").asDouble()));
        for (String k : List.of("se", "sd", "recall", "density", "kl_uniform", "confident", "sigma")) {
            if (o.has(k)) {
                s.append(String.format(java.util.Locale.ROOT, "  %s %.4f", k, o.path(k).asDouble()));
            }
        }
        if (o.has("generator")) {
            s.append("  G ").append(o.path("generator").asText());
        }
        s.append(String.format(java.util.Locale.ROOT, "  (%.1f s)", o.path("seconds").asDouble()));
        return s.toString();
    }
}
