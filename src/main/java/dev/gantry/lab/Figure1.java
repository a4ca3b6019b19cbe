package dev.gantry.lab;

import ai.djl.ndarray.NDManager;
import dev.gantry.optim.Optimizer;
import dev.gantry.util.Seeds;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 1 of Goodfellow et al. (2014), "Generative Adversarial Nets", in one dimension: the data
 * distribution (black, dotted), the generator's distribution (green) and the discriminator (blue,
 * dashed) at four moments of training, until p_g = p_data and D(x) = ½ everywhere.
 *
 * <p>p_data is N(dataMean, dataStd²); G maps noise z ~ N(0, 1) and starts off-centre, either
 * affinely ({@link AffineGenerator}, G(z) = a·z + b from a = {@value #AFFINE_START_SCALE}, b =
 * gStart: p_g = N(b, a²) exactly, so p_g and the JSD are integrated in closed form) or through a
 * tiny MLP (1 → gWidth → gWidth → 1, ReLU, output shifted by gStart: p_g is then a Gaussian kernel
 * density estimate of 20,000 samples ({@link Kde}), and the JSD to it is reported next to the same
 * estimator applied to 20,000 samples of p_data, its floor). D is an MLP (1 → 32 → 32 → 1, ReLU).
 * The schedule is Algorithm 1 (k steps of D on fresh minibatches, then one step of G) with the
 * paper's non-saturating generator loss −log D(G(z)) and Adam (β1 = 0.5) for both.
 */
public final class Figure1 {

    /** Samples of G behind each p_g curve and the final JSD. */
    public static final int KDE_SAMPLES = 20_000;
    static final int D_WIDTH = 32;
    /** The affine generator's initial a (the standard deviation of its first samples). */
    public static final double AFFINE_START_SCALE = 0.25;

    private Figure1() {}

    /**
     * @param generator {@code affine} or {@code mlp}
     * @param dataMean mean of p_data
     * @param dataStd standard deviation of p_data
     * @param gStart constant added to G's initial output, so that p_g starts away from p_data
     * @param steps generator steps
     * @param k discriminator steps per generator step
     * @param batch samples per minibatch
     * @param lrD Adam's learning rate for D
     * @param lrG Adam's learning rate for G
     * @param gWidth hidden units per layer of G
     * @param seed seed of both initialisations and of every batch
     * @param out directory of the PNG
     */
    public record Params(String generator, double dataMean, double dataStd, double gStart, int steps, int k, int batch, double lrD,
            double lrG, int gWidth, long seed, Path out) {

        public Params {
            Checks.notNull("--generator", generator);
            if (!generator.equals("affine") && !generator.equals("mlp")) {
                throw new dev.gantry.BadInputException("--generator must be affine or mlp (got '" + generator + "')");
            }
            Checks.finite("--data-mean", dataMean);
            Checks.positive("--data-std", dataStd);
            Checks.finite("--g-start", gStart);
            Checks.intRange("--steps", steps, 3, 1_000_000);
            Checks.intRange("--k", k, 1, 100);
            Checks.intRange("--batch", batch, 1, 1 << 16);
            Checks.range("--lr-d", lrD, 0, 1);
            Checks.range("--lr-g", lrG, 0, 1);
            Checks.intRange("--g-width", gWidth, 1, 1024);
            Checks.outDir(out);
        }

        public static Params defaults() {
            return new Params("affine", 2.0, 0.5, -1.0, 1500, 1, 128, 1e-3, 5e-3, 16, 0, Path.of("lab-out"));
        }

        public Params withSteps(int steps) {
            return new Params(generator, dataMean, dataStd, gStart, steps, k, batch, lrD, lrG, gWidth, seed, out);
        }

        public Params withOut(Path out) {
            return new Params(generator, dataMean, dataStd, gStart, steps, k, batch, lrD, lrG, gWidth, seed, out);
        }
    }

    /** One panel: the step it shows, D on the grid and the KDE of G's samples. */
    public record Snapshot(int step, double meanD, double jsd) {}

    /**
     * @param meanDeviation |mean of D(x) − ½| over the data region (p_data ≥ 1% of its peak), at the end
     * @param maxDeviation max |D(x) − ½| over the data region, at the end
     * @param jsd JSD(p_data‖p_g) at the end: exact for the affine G, to the KDE of G's samples for the MLP
     * @param jsdFloor 0 for the affine G; for the MLP, JSD(p_data‖KDE of as many samples of p_data), what
     *     the estimator reports for a perfect G
     * @param gMean mean of G's samples at the end
     * @param gStd their standard deviation
     */
    public record Result(double meanDeviation, double maxDeviation, double jsd, double jsdFloor, double gMean,
            double gStd, List<Snapshot> snapshots, int steps, double seconds, String png) {

        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "figure1: |mean D(x) - 1/2| = %.4f over the data region (max %.4f), JSD(p_data||p_g) = %.4f (KDE floor %.4f), G ~ %.3f +- %.3f (%d steps, %.1f s) -> %s",
                    meanDeviation, maxDeviation, jsd, jsdFloor, gMean, gStd, steps, seconds, png);
        }
    }

    public static Result run(Params p) {
        long start = System.nanoTime();
        Density1D pd = Density1D.normal(p.dataMean(), p.dataStd());
        boolean affine = p.generator().equals("affine");
        int first = Math.max(1, p.steps() / 10);
        int[] panelSteps = {0, first, Math.max(first + 1, p.steps() / 3), p.steps()};   // distinct since steps ≥ 3
        List<Snapshot> snaps = new ArrayList<>();
        List<double[]> dCurves = new ArrayList<>();
        List<double[]> gCurves = new ArrayList<>();
        Grid1D grid;
        float[] finalSamples;
        double[] finalD;
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, 0);
            ScalarNet g;
            if (affine) {
                g = new AffineGenerator(manager, "g", AFFINE_START_SCALE, p.gStart());
            } else {
                Mlp mlp = new Mlp(manager, "g", 1, p.gWidth(), 2, Mlp.Activation.RELU);
                mlp.shiftOutput(manager, (float) p.gStart());
                g = mlp;
            }
            Mlp d = new Mlp(manager, "d", 1, D_WIDTH, 2, Mlp.Activation.RELU);
            Optimizer optG = LabNets.adam(manager, g.params(), p.lrG(), 0.5);
            Optimizer optD = LabNets.adam(manager, d.params(), p.lrD(), 0.5);
            float[] evalNoise = Density1D.normal(0, 1).sample(KDE_SAMPLES, LabNets.seed(p.seed(), 9, 0));
            float[] g0 = toFloat(g.evaluate(manager, evalNoise));
            grid = gridFor(pd, g0);
            float[] xs = grid.xsFloat();
            int next = 0;
            for (int step = 0; ; step++) {
                if (next < panelSteps.length && step == panelSteps[next]) {
                    double[] dOnGrid = sigmoid(d.evaluate(manager, xs));
                    float[] samples = toFloat(g.evaluate(manager, evalNoise));
                    double[] pg = affine ? grid.map(((AffineGenerator) g).density()::pdf) : Kde.density(samples, grid);
                    dCurves.add(dOnGrid);
                    gCurves.add(pg);
                    snaps.add(new Snapshot(step, meanOverRegion(grid, pd, dOnGrid), Divergences.jsd(grid, grid.map(pd::pdf), pg)));
                    next++;
                }
                if (step == p.steps()) {
                    break;
                }
                for (int i = 0; i < p.k(); i++) {
                    long c = (long) step * p.k() + i;
                    float[] real = pd.sample(p.batch(), LabNets.seed(p.seed(), 0, c));
                    float[] z = Density1D.normal(0, 1).sample(p.batch(), LabNets.seed(p.seed(), 1, c));
                    LabNets.discriminatorStep(manager, d, optD, real, toFloat(g.evaluate(manager, z)));
                }
                LabNets.generatorStep(manager, g, d, optG, LabNets.STANDARD, Density1D.normal(0, 1).sample(p.batch(), LabNets.seed(p.seed(), 2, step)));
            }
            finalSamples = toFloat(g.evaluate(manager, evalNoise));
            finalD = dCurves.get(dCurves.size() - 1);
        }
        double[] pData = grid.map(pd::pdf);
        double jsd = Divergences.jsd(grid, pData, gCurves.get(gCurves.size() - 1));
        double floor = affine ? 0
                : Divergences.jsd(grid, pData, Kde.density(pd.sample(KDE_SAMPLES, LabNets.seed(p.seed(), 8, 0)), grid));
        boolean[] region = region(grid, pd);
        double meanD = meanOverRegion(grid, pd, finalD);
        double maxDev = 0;
        for (int i = 0; i < grid.n(); i++) {
            if (region[i]) {
                maxDev = Math.max(maxDev, Math.abs(finalD[i] - 0.5));
            }
        }
        double gMean = 0;
        for (float v : finalSamples) {
            gMean += v;
        }
        gMean /= finalSamples.length;
        double gVar = 0;
        for (float v : finalSamples) {
            gVar += (v - gMean) * (v - gMean);
        }
        double gStd = Math.sqrt(gVar / (finalSamples.length - 1));

        Path png = p.out().resolve("figure1.png");
        List<BufferedImage> panels = new ArrayList<>();
        String[] letters = {"(a)", "(b)", "(c)", "(d)"};
        double yMax = 1.05;
        for (double[] c : gCurves) {
            yMax = Math.max(yMax, 1.05 * java.util.Arrays.stream(c).max().orElse(0));
        }
        // A collapsed or narrow p_g would flatten everything else: clip it at 2.5 × p_data's peak.
        yMax = Math.min(yMax, 2.5 * pd.pdf(pd.mean()));
        yMax = Math.max(yMax, Math.max(1.05, 1.05 * pd.pdf(pd.mean())));
        for (int i = 0; i < snaps.size(); i++) {
            Snapshot s = snaps.get(i);
            double[] x = grid.xs();
            panels.add(LabCharts.chart(String.format(java.util.Locale.ROOT, "%s step %d: JSD %.3f, mean D on data %.3f",
                            letters[i], s.step(), s.jsd(), s.meanD()), "x", "",
                    List.of(new LabCharts.Curve("p_data", x, pData, Color.BLACK, LabCharts.DOTTED),
                            new LabCharts.Curve(affine ? "p_g" : "p_g (KDE of G(z))", x, gCurves.get(i), new Color(0x2CA02C), LabCharts.SOLID),
                            new LabCharts.Curve("D(x)", x, dCurves.get(i), new Color(0x1F77B4), LabCharts.DASHED)),
                    560, 360, 0, yMax));
        }
        LabCharts.write(png, LabCharts.tile(panels, 2));
        return new Result(Math.abs(meanD - 0.5), maxDev, jsd, floor, gMean, gStd, snaps, p.steps(),
                (System.nanoTime() - start) / 1e9, png.toString());
    }

    /** Covers p_data (±6σ) and G's initial samples, with a margin. */
    private static Grid1D gridFor(Density1D pd, float[] g0) {
        double lo = pd.mean() - 6 * pd.std();
        double hi = pd.mean() + 6 * pd.std();
        float[] sorted = g0.clone();
        java.util.Arrays.sort(sorted);
        double gLo = sorted[(int) (0.001 * sorted.length)];
        double gHi = sorted[(int) (0.999 * sorted.length)];
        double span = Math.max(hi, gHi) - Math.min(lo, gLo);
        // Ends on multiples of ½ so the axis gets round ticks.
        double left = Math.floor(2 * Math.min(lo, gLo - 0.1 * span)) / 2;
        double right = Math.ceil(2 * Math.max(hi, gHi + 0.1 * span)) / 2;
        return new Grid1D(left, right, (int) Math.round((right - left) / 0.01) + 1);
    }

    static boolean[] region(Grid1D grid, Density1D pd) {
        double peak = pd.pdf(pd.mean());
        boolean[] in = new boolean[grid.n()];
        for (int i = 0; i < grid.n(); i++) {
            in[i] = pd.pdf(grid.x(i)) >= OptimalD.REGION_FRACTION * peak;
        }
        return in;
    }

    private static double meanOverRegion(Grid1D grid, Density1D pd, double[] d) {
        boolean[] in = region(grid, pd);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < grid.n(); i++) {
            if (in[i]) {
                sum += d[i];
                n++;
            }
        }
        return sum / n;
    }

    static double[] sigmoid(double[] logits) {
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Divergences.sigmoid(logits[i]);
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
