package dev.gantry.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.classifier.FeatureNet;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.data.format.Npy;
import dev.gantry.models.Conditioning;
import dev.gantry.models.Generator;
import dev.gantry.models.Inferer;
import dev.gantry.report.ImageGrid;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry encode}: the inference network Q of a run trained with {@code model.inferer = true}
 * maps images to z ({@code --samples F.npy --out Z.npy}), or is measured ({@code --measure}): how
 * well it recovers the z that made G's samples, and how well G(Q(x)) reconstructs real test images.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Map images to z with a run's inference network Q (model.inferer = true), or measure it.",
                "--measure: z recovery on 10,000 of G's samples and reconstructions G(Q(x)) of the first 10,000 test images"
                        + " (pixel error, label agreement under the frozen classifier), beside G from random z for scale;"
                        + " the record is appended to RUN_DIR/metrics.jsonl."})
public final class EncodeCommand implements Callable<Integer> {

    static final int N = 10_000;

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    NoiseSeedOption seed;

    static final class Mode {
        @Option(names = "--samples", paramLabel = "F.npy", description = "images to encode: float32 [N, C*H*W] in [0, 1]")
        Path samples;

        @Option(names = "--measure", description = "measure Q (see above)")
        boolean measure;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--out", paramLabel = "Z.npy", description = "with --samples: where the codes go, float32 [N, noise_dim] (never overwritten)")
    Path out;

    @Option(names = "--grid", paramLabel = "FILE.png", description = "with --measure: 20 test images, each above its reconstruction G(Q(x)) (never overwritten)")
    Path grid;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.open(runDir);
        Path ckpt = checkpoint.resolve(run);
        if (mode.samples != null) {
            if (out == null) {
                throw new BadInputException("--samples needs --out Z.npy");
            }
            refuseExisting(out, "--out");
        } else if (grid != null) {
            refuseExisting(grid, "--grid");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Inferer q = Checkpoint.inferer(ckpt, manager);   // exit 2 when the run has no Q
            if (mode.samples != null) {
                Npy.Matrix m = Npy.readImages(mode.samples, q.inputShape().dim());
                float[] z = encode(q, manager, m.data(), m.rows());
                Npy.writeFloat32(out, z, m.rows(), q.noiseDim());
                System.out.printf("encoded %d images of %s with %s into %s%n", m.rows(), mode.samples, ckpt, out);
                return Main.OK;
            }
            ObjectNode r = measure(run, ckpt, q, manager);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r));
            run.appendMetric(r);
        }
        return Main.OK;
    }

    private ObjectNode measure(RunDirectory run, Path ckpt, Inferer q, NDManager manager) throws Exception {
        RunConfig config = Checkpoint.config(ckpt);
        Generator g = Checkpoint.generator(ckpt, manager);
        ImageSet test = Datasets.load(config, Split.TEST, System.err);
        if (test.n() < N) {
            throw new BadInputException("--measure needs " + N + " test images; " + config.data().name() + " has " + test.n());
        }
        test = test.slice(0, N);
        int dim = g.outputDim();
        int k = g.classes();
        int[] sampleLabels = k == 0 ? null : Conditioning.cycle(N, Conditioning.all(k));
        int[] testLabels = test.labels();
        // 1. z recovery on G's own samples.
        Seeds.seedEngine(seed.seed, Seeds.EVAL, 0);
        float[] z = g.sampleNoise(manager, N).toFloatArray();
        float[] x = fromCodes(g, manager, z, sampleLabels);
        float[] zHat = encode(q, manager, x, N);
        double zMse = mse(zHat, z);
        // 2. Reconstructions of real test images, and G from random z for scale.
        float[] codes = encode(q, manager, test.pixels(), N);
        int[] condition = k == 0 ? null : testLabels;
        float[] recon = fromCodes(g, manager, codes, condition);
        float[] random = fromCodes(g, manager, Arrays.copyOf(z, z.length), condition);
        ObjectNode o = ConfigLoader.mapper().createObjectNode();
        o.put("metric", "inference10k");
        o.put("z_mse", zMse);
        o.put("z_variance_explained", 1 - zMse / variance(z));
        o.put("recon_pixel_mse", mse(recon, test.pixels()));
        o.put("random_pixel_mse", mse(random, test.pixels()));
        String networkDataset = config.data().name();
        if (testLabels != null && FeatureNet.SHIPPED.containsKey(networkDataset)) {
            try (FeatureNet net = FeatureNet.load(networkDataset, null)) {
                o.put("recon_label_agreement", agreement(net.probabilities(recon, N), testLabels, net.classes()));
                o.put("random_label_agreement", agreement(net.probabilities(random, N), testLabels, net.classes()));
                o.put("network", "lenet-" + networkDataset);
                o.put("network_sha256", net.sha256());
            }
        }
        o.put("samples", N);
        o.put("checkpoint", run.path().relativize(ckpt).toString());
        var meta = Checkpoint.readMeta(ckpt);
        o.put("step", meta.path("step").asLong());
        o.put("epoch", meta.path("epoch").asInt());
        if (grid != null) {
            int cols = 10;
            float[] tiles = new float[4 * cols * dim];
            for (int row = 0; row < 2; row++) {
                System.arraycopy(test.pixels(), row * cols * dim, tiles, (2 * row) * cols * dim, cols * dim);
                System.arraycopy(recon, row * cols * dim, tiles, (2 * row + 1) * cols * dim, cols * dim);
            }
            ImageGrid.writePng(grid, tiles, 4 * cols, g.outputShape(), cols, 2);
            System.err.println("gantry: originals (rows 1 and 3) above their reconstructions (rows 2 and 4) in " + grid);
        }
        return o;
    }

    private static float[] encode(Inferer q, NDManager manager, float[] images, int n) {
        int d = q.inputShape().dim();
        float[] out = new float[n * q.noiseDim()];
        var s = q.inputShape();
        for (int start = 0; start < n; start += 1000) {
            int m = Math.min(1000, n - start);
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = sm.create(Arrays.copyOfRange(images, start * d, (start + m) * d), new Shape(m, s.channels(), s.height(), s.width()));
                System.arraycopy(q.forward(x, true).toFloatArray(), 0, out, start * q.noiseDim(), m * q.noiseDim());
            }
        }
        return out;
    }

    private static float[] fromCodes(Generator g, NDManager manager, float[] z, int[] labels) {
        int n = z.length / g.noiseDim();
        int d = g.outputDim();
        float[] out = new float[n * d];
        for (int start = 0; start < n; start += 1000) {
            int m = Math.min(1000, n - start);
            try (NDManager sm = manager.newSubManager()) {
                NDArray zz = sm.create(Arrays.copyOfRange(z, start * g.noiseDim(), (start + m) * g.noiseDim()), new Shape(m, g.noiseDim()));
                NDArray y = labels == null ? null : Conditioning.oneHot(sm, Arrays.copyOfRange(labels, start, start + m), g.classes());
                System.arraycopy(g.forward(zz, y, true, false).toFloatArray(), 0, out, start * d, m * d);
            }
        }
        return out;
    }

    static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            s += e * e;
        }
        return s / a.length;
    }

    static double variance(float[] a) {
        double mean = 0;
        for (float v : a) mean += v;
        mean /= a.length;
        double s = 0;
        for (float v : a) s += (v - mean) * (v - mean);
        return s / a.length;
    }

    static double agreement(float[] probabilities, int[] labels, int k) {
        int agree = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probabilities[i * k + c] > probabilities[i * k + best]) best = c;
            }
            if (best == labels[i]) agree++;
        }
        return agree / (double) labels.length;
    }

    private static void refuseExisting(Path p, String option) {
        if (Files.exists(p)) {
            throw new BadInputException(option + " " + p + " already exists; Gantry never overwrites an existing file");
        }
    }
}
