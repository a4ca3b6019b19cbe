package dev.gantry.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.ImageShape;
import dev.gantry.data.Split;
import dev.gantry.eval.NearestNeighbours;
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

/**
 * {@code gantry figures}: the paper's Figure 2 (samples with the nearest training image in the last
 * column) and Figure 3 (images along straight lines in z space), for a run's checkpoint.
 */
@Command(name = "figures", mixinStandardHelpOptions = true,
        description = {"Make the paper's Figures 2 and 3 for a run, as PNG files in RUN_DIR/figures/:",
                "fig2: rows of samples whose last column (set apart) is the training image nearest to the sample",
                "before it (squared distance over train[0:50000]); fig3: samples along straight lines in z space."})
public final class FiguresCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    GeneratorOption generatorOption;

    @Option(names = "--rows", defaultValue = "6", description = "rows of both figures (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", defaultValue = "5", description = "samples per row of Figure 2 (default: ${DEFAULT-VALUE})")
    int cols;

    @Option(names = "--steps", defaultValue = "10", description = "images per line of Figure 3 (default: ${DEFAULT-VALUE})")
    int steps;

    @Mixin
    NoiseSeedOption seed;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0 || cols <= 0 || steps < 2) {
            throw new BadInputException("--rows and --cols must be > 0 and --steps >= 2");
        }
        RunDirectory run = RunDirectory.open(runDir);
        Path ckpt = checkpoint.resolve(run);
        RunConfig config = run.readConfig();
        // Nearest neighbours among the run's whole training split (generated sets: as many as trained on).
        ImageSet train = Datasets.load(config, Split.TRAIN, System.err);
        long step = Checkpoint.readMeta(ckpt).path("step").asLong();
        Path dir = run.path().resolve("figures");
        Files.createDirectories(dir);
        Path fig2 = dir.resolve(String.format("fig2-nearest-step-%09d.png", step));
        Path fig3 = dir.resolve(String.format("fig3-interpolation-step-%09d.png", step));
        ImageShape shape = train.shape();
        int d = train.dim();
        try (NDManager manager = NDManager.newBaseManager()) {
            Generator g = generatorOption.load(ckpt, manager);
            // Figure 2: rows × cols samples; the last sample of each row gets its nearest training image.
            Seeds.seedEngine(seed.seed, Seeds.EVAL, 2);
            float[] samples = Sampler.generate(g, manager, rows * cols);
            float[] last = new float[rows * d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(samples, (r * cols + cols - 1) * d, last, r * d, d);
            }
            NearestNeighbours.Result nn = NearestNeighbours.find(manager, last, rows, train.pixels(), train.n(), d);
            float[] grid = new float[rows * (cols + 1) * d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(samples, r * cols * d, grid, r * (cols + 1) * d, cols * d);
                System.arraycopy(train.pixels(), nn.index()[r] * d, grid, (r * (cols + 1) + cols) * d, d);
            }
            ImageGrid.writePng(fig2, ImageGrid.render(grid, rows * (cols + 1), shape.channels(), shape.height(), shape.width(),
                    cols + 1, 2, c -> c == cols));

            // Figure 3: straight lines between random points of z space (the prior's cube is convex).
            Seeds.seedEngine(seed.seed, Seeds.EVAL, 3);
            float[] lines;
            try (NDManager sm = manager.newSubManager()) {
                NDArray a = g.sampleNoise(sm, rows);                                // [rows, z]
                NDArray b = g.sampleNoise(sm, rows);                                // [rows, z]
                NDArray alpha = sm.linspace(0f, 1f, steps).reshape(1, steps, 1);   // [1, steps, 1]
                NDArray z = a.expandDims(1).add(b.sub(a).expandDims(1).mul(alpha)) // [rows, steps, z]
                        .reshape(rows * steps, -1);
                lines = g.forward(z, true, false).toFloatArray();                  // [rows·steps, C, H, W]
            }
            ImageGrid.writePng(fig3, lines, rows * steps, shape, steps, 2);
            double meanDist = java.util.Arrays.stream(nn.squaredDistance()).average().orElse(Double.NaN);
            System.out.printf("wrote %s (mean squared distance to nearest training image %.2f) and %s%n", fig2, meanDist, fig3);
        }
        return Main.OK;
    }
}
