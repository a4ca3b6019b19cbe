package dev.gantry.lab;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.optim.Optimizer;
import dev.gantry.report.Plots;
import dev.gantry.util.Seeds;
import java.nio.file.Path;
import java.util.List;

/**
 * Proposition 1 of Goodfellow et al. (2014), "Generative Adversarial Nets": for a fixed generator
 * the discriminator that maximises V(D, G) is D*(x) = p_data(x)/(p_data(x) + p_g(x)).
 *
 * <p>Both distributions are known here (p_data a normal or a two-Gaussian mixture, p_g a normal),
 * so a small D (1 → width → width → 1, ReLU or maxout) trained with the standard loss
 * −log D(x) − log(1 − D(G(z))) on fresh samples of both can be compared with D* pointwise. The
 * error is measured where the mixture p_data + p_g exceeds 1% of its peak: outside, neither
 * distribution has samples and D is unconstrained. Adam runs the first two thirds of the steps at
 * {@code lr} and the last third at lr/10, and the D that is measured is the average of the
 * parameters over that last third (Polyak–Ruppert averaging, every {@value #AVERAGE_EVERY}th
 * step): both remove minibatch noise, which otherwise dominates the error of so small a problem.
 */
public final class OptimalD {

    /** Fraction of the mixture's peak density above which D is compared with D*. */
    public static final double REGION_FRACTION = 0.01;
    /** Spacing of the evaluation grid, whose ends are whole numbers (so plots get round ticks). */
    public static final double GRID_STEP = 0.01;
    /** Steps between the parameter snapshots averaged over the last third. */
    static final int AVERAGE_EVERY = 5;

    private OptimalD() {}

    /**
     * @param data {@code normal} (N(0, 1)) or {@code bimodal} (½N(−1.5, 0.5²) + ½N(1.5, 0.5²))
     * @param gMean mean of p_g = N(gMean, gStd²)
     * @param gStd standard deviation of p_g
     * @param width hidden units per layer of D
     * @param activation {@code relu} or {@code maxout}
     * @param steps Adam steps of D
     * @param batch real and fake samples per step (each)
     * @param lr Adam's learning rate for the first two thirds of the steps
     * @param seed seed of D's initialisation and of every batch
     * @param out directory of the PNG
     */
    public record Params(String data, double gMean, double gStd, int width, String activation, int steps,
            int batch, double lr, long seed, Path out) {

        public Params {
            Checks.notNull("--data", data);
            dataDensity(data);
            Checks.finite("--g-mean", gMean);
            Checks.positive("--g-std", gStd);
            Checks.intRange("--width", width, 1, 1024);
            Checks.notNull("--activation", activation);
            Mlp.Activation.parse(activation, "--activation");
            Checks.intRange("--steps", steps, 1, 1_000_000);
            Checks.intRange("--batch", batch, 1, 1 << 16);
            Checks.range("--lr", lr, 0, 1);
            Checks.outDir(out);
        }

        /** The defaults of {@code gantry lab optimal-d}. */
        public static Params defaults() {
            return new Params("normal", 1.5, 1.3, 64, "relu", 2000, 256, 3e-3, 0, Path.of("lab-out"));
        }

        public Params withSteps(int steps) {
            return new Params(data, gMean, gStd, width, activation, steps, batch, lr, seed, out);
        }

        public Params withOut(Path out) {
            return new Params(data, gMean, gStd, width, activation, steps, batch, lr, seed, out);
        }

        public Density1D pData() {
            return dataDensity(data);
        }

        public Density1D pG() {
            return Density1D.normal(gMean, gStd);
        }
    }

    /**
     * @param maxAbsError max |D(x) − D*(x)| over the region
     * @param atX where the maximum is
     * @param meanAbsError the mean of |D − D*| over the region's grid points
     * @param regionLo the region's left end (p_data + p_g ≥ 1% of its peak)
     * @param regionHi its right end
     */
    public record Result(double maxAbsError, double atX, double meanAbsError, double regionLo, double regionHi,
            String pData, String pG, int steps, double seconds, String png) {

        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "optimal-d: max |D(x) - D*(x)| = %.4f at x = %.2f over [%.2f, %.2f] (mean %.4f; p_data %s, p_g %s; %d steps, %.1f s) -> %s",
                    maxAbsError, atX, regionLo, regionHi, meanAbsError, pData, pG, steps, seconds, png);
        }
    }

    /** A trained D's logits on a grid that covers both distributions. */
    record Trained(Grid1D grid, double[] pData, double[] pG, double[] logits, double seconds) {

        /** Grid points where p_data + p_g ≥ {@link #REGION_FRACTION} of its peak. */
        boolean[] region() {
            double peak = 0;
            for (int i = 0; i < grid.n(); i++) {
                peak = Math.max(peak, pData[i] + pG[i]);
            }
            boolean[] in = new boolean[grid.n()];
            for (int i = 0; i < grid.n(); i++) {
                in[i] = pData[i] + pG[i] >= REGION_FRACTION * peak;
            }
            return in;
        }
    }

    public static Result run(Params p) {
        Trained t = train(p);
        double[] dStar = Divergences.optimalDiscriminator(t.pData(), t.pG());
        boolean[] region = t.region();
        double max = -1;
        double atX = Double.NaN;
        double sum = 0;
        int count = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.grid().n(); i++) {
            if (!region[i]) {
                continue;
            }
            double x = t.grid().x(i);
            double err = Math.abs(Divergences.sigmoid(t.logits()[i]) - dStar[i]);
            if (err > max) {
                max = err;
                atX = x;
            }
            sum += err;
            count++;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        Path png = p.out().resolve("optimal-d.png");
        plot(png, t, dStar, lo, hi, max);
        return new Result(max, atX, sum / count, lo, hi, p.pData().describe(), p.pG().describe(), p.steps(),
                t.seconds(), png.toString());
    }

    /** Trains D against the known p_g and evaluates its logits on the grid. */
    static Trained train(Params p) {
        long start = System.nanoTime();
        Density1D pd = p.pData();
        Density1D pg = p.pG();
        double lo = Math.floor(Math.min(pd.mean() - 7 * pd.std(), pg.mean() - 7 * pg.std()));
        double hi = Math.ceil(Math.max(pd.mean() + 7 * pd.std(), pg.mean() + 7 * pg.std()));
        Grid1D grid = new Grid1D(lo, hi, (int) Math.round((hi - lo) / GRID_STEP) + 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, 0);
            Mlp d = new Mlp(manager, "d", 1, p.width(), 2, Mlp.Activation.parse(p.activation(), "--activation"));
            int decayAt = Math.max(1, p.steps() * 2 / 3);
            Optimizer opt = LabNets.adam(manager, d.params(), p.lr(), 0.9);
            float[][] avg = null;
            int averaged = 0;
            for (int step = 0; step < p.steps(); step++) {
                if (step == decayAt) {
                    opt = LabNets.adam(manager, d.params(), p.lr() / 10, 0.9);
                }
                float[] real = pd.sample(p.batch(), LabNets.seed(p.seed(), 0, step));
                float[] fake = pg.sample(p.batch(), LabNets.seed(p.seed(), 1, step));
                LabNets.discriminatorStep(manager, d, opt, real, fake);
                if (step >= decayAt && (p.steps() - 1 - step) % AVERAGE_EVERY == 0) {
                    avg = LabNets.accumulate(avg, d.state(), averaged++);
                }
            }
            if (avg != null) {
                d.load(avg);
            }
            double[] logits = d.evaluate(manager, grid.xsFloat());
            return new Trained(grid, grid.map(pd::pdf), grid.map(pg::pdf), logits, (System.nanoTime() - start) / 1e9);
        }
    }

    private static void plot(Path png, Trained t, double[] dStar, double lo, double hi, double max) {
        // The region plus a margin, widened to multiples of ½ for round axis ticks.
        double margin = 0.1 * (hi - lo);
        Grid1D g = t.grid();
        double left = Math.floor(2 * (lo - margin)) / 2;
        double right = Math.ceil(2 * (hi + margin)) / 2;
        int from = Math.max(0, (int) Math.round((left - g.lo()) / g.step()));
        int to = Math.min(g.n() - 1, (int) Math.round((right - g.lo()) / g.step()));
        int n = to - from + 1;
        double[] x = new double[n];
        double[] d = new double[n];
        double[] ds = new double[n];
        double[] pd = new double[n];
        double[] pg = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.x(from + i);
            d[i] = Divergences.sigmoid(t.logits()[from + i]);
            ds[i] = dStar[from + i];
            pd[i] = t.pData()[from + i];
            pg[i] = t.pG()[from + i];
        }
        Plots.linePlot(png, String.format(java.util.Locale.ROOT,
                        "Trained D vs D* = p_data/(p_data+p_g): max |D - D*| = %.4f on [%.2f, %.2f]", max, lo, hi),
                "x", "probability / density",
                List.of(new Plots.Series("D(x), trained", x, d), new Plots.Series("D*(x)", x, ds),
                        new Plots.Series("p_data(x)", x, pd), new Plots.Series("p_g(x)", x, pg)),
                List.of(), Plots.Options.DEFAULT.withYRange(0, 1.05));
    }

    static Density1D dataDensity(String name) {
        return switch (name) {
            case "normal" -> Density1D.normal(0, 1);
            case "bimodal" -> Density1D.mixture(List.of(Density1D.normal(-1.5, 0.5), Density1D.normal(1.5, 0.5)));
            default -> throw new BadInputException("--data must be normal or bimodal (got '" + name + "')");
        };
    }
}
