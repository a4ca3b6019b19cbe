package dev.gantry.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.BadInputException;
import dev.gantry.data.ImageShape;
import dev.gantry.data.format.Npy;
import dev.gantry.models.Conditioning;
import dev.gantry.models.Generator;
import dev.gantry.models.Sampler;
import dev.gantry.report.ImageGrid;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry sample}: draws samples from a run's generator (dropout off) into .npy or a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Draw N samples from a run's generator.",
                ".npy: float32 [N, C*H*W] in [0, 1], each row channel-major (784 = 1x28x28 for MNIST); .png: a grid of the N images.",
                "A conditional run draws every class, or those of --class/--classes: in .npy, sample i is of the (i mod m)-th class"
                        + " listed; in .png, one row per class."})
public final class SampleCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    GeneratorOption generatorOption;

    @Option(names = "--n", paramLabel = "N", required = true, description = "number of samples")
    int n;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "output file, .npy or .png (never overwritten)")
    Path out;

    @Mixin
    NoiseSeedOption seed;

    @Option(names = {"--class", "--classes"}, paramLabel = "C[,C...]", split = ",",
            description = "conditional runs: the classes to draw (default: all of the dataset's)")
    int[] classes;

    /** The most values one Java float array holds. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    @Override
    public Integer call() throws Exception {
        if (n <= 0) {
            throw new BadInputException("--n must be > 0 (got " + n + ")");
        }
        String name = out.getFileName().toString().toLowerCase();
        if (!name.endsWith(".npy") && !name.endsWith(".png")) {
            throw new BadInputException("--out " + out + ": expected a file name ending in .npy or .png");
        }
        if (Files.exists(out)) {
            throw new BadInputException("--out " + out + " already exists; Gantry never overwrites an existing file");
        }
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new BadInputException("--out " + out + ": " + p + " is a file, not a directory");
            }
        }
        RunDirectory run = RunDirectory.open(runDir);
        Path ckpt = checkpoint.resolve(run);
        int dim = Checkpoint.dataShape(Checkpoint.readMeta(ckpt), ckpt).dim();
        if ((long) n * dim > MAX_VALUES) {
            throw new BadInputException("--n " + n + ": " + n + " samples of " + dim + " values exceed the " + MAX_VALUES
                    + " values one sample array holds (at most --n " + MAX_VALUES / dim + ")");
        }
        float[] samples;
        ImageShape shape;
        boolean png = name.endsWith(".png");
        int gridCols = (int) Math.ceil(Math.sqrt(n));
        try (NDManager manager = NDManager.newBaseManager()) {
            Generator g = generatorOption.load(ckpt, manager);
            int[] labels = null;
            if (g.classes() == 0 && classes != null) {
                throw new BadInputException("--class: " + runDir + " was trained unconditionally (model.conditional = false);"
                        + " only a conditional run draws a class");
            }
            if (g.classes() > 0) {
                int[] drawn = classes != null ? classes : Conditioning.all(g.classes());
                for (int c : drawn) {
                    if (c < 0 || c >= g.classes()) {
                        throw new BadInputException("--class " + c + ": the run's classes are 0 to " + (g.classes() - 1));
                    }
                }
                if (png) {
                    gridCols = (int) Math.ceil(n / (double) drawn.length);   // one row per class
                    labels = new int[n];
                    for (int i = 0; i < n; i++) {
                        labels[i] = drawn[(i / gridCols) % drawn.length];
                    }
                } else {
                    labels = Conditioning.cycle(n, drawn);
                }
            }
            Seeds.seedEngine(seed.seed, Seeds.EVAL, 0);
            samples = Sampler.generate(g, manager, n, labels);
            shape = g.outputShape();
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        if (name.endsWith(".npy")) {
            Npy.writeFloat32(out, samples, n, shape.dim());
        } else {
            ImageGrid.writePng(out, samples, n, shape, gridCols, 2);
        }
        System.out.printf("wrote %d samples from %s to %s%n", n, ckpt, out);
        return Main.OK;
    }
}
