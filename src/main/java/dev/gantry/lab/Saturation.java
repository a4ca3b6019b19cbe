package dev.gantry.lab;

import ai.djl.ndarray.NDManager;
import dev.gantry.losses.GanLoss;
import dev.gantry.optim.Optimizer;
import dev.gantry.report.Plots;
import dev.gantry.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why Goodfellow et al. (2014, §3) train G to maximise log D(G(z)) instead of minimising
 * log(1 − D(G(z))): "early in learning, when G is poor, D can reject samples with high confidence
 * because they are clearly different from the training data. In this case, log(1 − D(G(z)))
 * saturates."
 *
 * <p>With D = σ(l), the gradient that reaches a fake sample x = G(z) from one sample's loss is, in
 * closed form, ∂ log(1 − σ(l))/∂x = −σ(l)·∂l/∂x for the minimax loss and ∂(−log σ(l))/∂x =
 * −(1 − σ(l))·∂l/∂x for the non-saturating one: the same direction, magnitudes in the ratio
 * (1 − D)/D = e^(−l), which grows without bound as D(G(z)) → 0.
 *
 * <p>Phase 1 holds a poor affine G fixed (p_g = N(gMean, gStd²), far from p_data = N(dataMean,
 * dataStd²)) and trains D (1 → 32 → 32 → 1, ReLU, Adam) to win, measuring both gradients by autograd
 * on 1,000 fixed fake samples as D(G(z)) falls, and checking them against the closed form. Phase 2
 * (if {@code trainSteps > 0}) starts two games from that D and that G, one per generator loss, and
 * records JSD(p_data‖p_g), exact up to binning: p_g stays normal, and the JSD of the two
 * distributions coarse-grained to 6,000 bins is computed from their distribution functions. G
 * learns by SGD with momentum, as in the paper, because the size of its gradient is the point:
 * Adam divides each step by a running gradient magnitude, which would largely undo a uniformly
 * small gradient (not measured here).
 */
public final class Saturation {

    static final int D_WIDTH = 32;
    static final int EVAL_SAMPLES = 1000;
    /** Measurements of phase 1, evenly spaced over its steps. */
    static final int PROBES = 20;
    /** JSD records of phase 2. */
    static final int RECORDS = 50;

    private Saturation() {}

    /**
     * @param dataMean mean of p_data
     * @param dataStd its standard deviation
     * @param gMean mean of the poor generator's N(gMean, gStd²)
     * @param gStd its standard deviation
     * @param dSteps phase 1: steps of D against the fixed G
     * @param batch samples per minibatch
     * @param lrD Adam's learning rate for D (β1 = 0.5)
     * @param trainSteps phase 2: steps of each game (one D step, one G step); 0 skips it
     * @param lrG SGD's learning rate for G (momentum 0.5)
     * @param seed seed of D's initialisation and of every batch
     * @param out directory of the PNGs
     */
    public record Params(double dataMean, double dataStd, double gMean, double gStd, int dSteps, int batch,
            double lrD, int trainSteps, double lrG, long seed, Path out) {

        public Params {
            Checks.finite("--data-mean", dataMean);
            Checks.positive("--data-std", dataStd);
            Checks.finite("--g-mean", gMean);
            Checks.positive("--g-std", gStd);
            Checks.intRange("--d-steps", dSteps, 1, 1_000_000);
            Checks.intRange("--batch", batch, 1, 1 << 16);
            Checks.range("--lr-d", lrD, 0, 1);
            Checks.intRange("--train-steps", trainSteps, 0, 1_000_000);
            Checks.range("--lr-g", lrG, 0, 10);
            Checks.outDir(out);
        }

        public static Params defaults() {
            return new Params(2.0, 0.5, -1.0, 0.5, 600, 256, 1e-3, 400, 0.005, 0, Path.of("lab-out"));
        }

        public Params withBudget(int dSteps, int trainSteps) {
            return new Params(dataMean, dataStd, gMean, gStd, dSteps, batch, lrD, trainSteps, lrG, seed, out);
        }

        public Params withOut(Path out) {
            return new Params(dataMean, dataStd, gMean, gStd, dSteps, batch, lrD, trainSteps, lrG, seed, out);
        }
    }

    /** One measurement of phase 1: after {@code step} steps of D. */
    public record Probe(int step, double meanDgz, double gradMinimax, double gradNonSaturating) {}

    /**
     * @param meanDgz mean D(G(z)) over the fixed fake samples at the end of phase 1
     * @param gradMinimax mean over them of |∂ log(1 − D(x))/∂x| at x = G(z)
     * @param gradNonSaturating mean of |∂(−log D(x))/∂x|
     * @param ratio gradNonSaturating / gradMinimax
     * @param closedFormMaxError max over samples and both losses of |autograd − closed form| / max(|closed form|, 1e-12)
     * @param jsdStart JSD(p_data‖p_g) of the poor G
     * @param jsdMinimax JSD after phase 2 with the minimax loss (NaN when skipped)
     * @param jsdNonSaturating JSD after phase 2 with the non-saturating loss (NaN when skipped)
     */
    public record Result(double meanDgz, double gradMinimax, double gradNonSaturating, double ratio,
            double closedFormMaxError, double jsdStart, double jsdMinimax, double jsdNonSaturating,
            List<Probe> probes, int dSteps, int trainSteps, double seconds, List<String> pngs) {

        public String line() {
            String games = trainSteps == 0 ? "" : String.format(java.util.Locale.ROOT,
                    "; after %d steps of each game JSD %.4f -> minimax %.4f, non-saturating %.4f",
                    trainSteps, jsdStart, jsdMinimax, jsdNonSaturating);
            return String.format(java.util.Locale.ROOT,
                    "saturation: D(G(z)) = %.4f; mean |dL_G/dG(z)|: minimax %.3g, non-saturating %.3g (ratio %.1f; autograd = closed form to %.1e)%s (%.1f s) -> %s",
                    meanDgz, gradMinimax, gradNonSaturating, ratio, closedFormMaxError, games, seconds,
                    String.join(", ", pngs));
        }
    }

    public static Result run(Params p) {
        long start = System.nanoTime();
        Density1D pd = Density1D.normal(p.dataMean(), p.dataStd());
        Density1D pg = Density1D.normal(p.gMean(), p.gStd());
        Grid1D grid = jsdGrid(p);
        double jsdStart = Divergences.jsd(grid, grid.map(pd::pdf), grid.map(pg::pdf));
        float[] evalFake = pg.sample(EVAL_SAMPLES, LabNets.seed(p.seed(), 9, 0));
        List<Probe> probes = new ArrayList<>();
        float[][] dState;
        LabNets.InputGradients last;
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, 0);
            Mlp d = new Mlp(manager, "d", 1, D_WIDTH, 2, Mlp.Activation.RELU);
            Optimizer optD = LabNets.adam(manager, d.params(), p.lrD(), 0.5);
            int every = Math.max(1, p.dSteps() / PROBES);
            for (int step = 1; step <= p.dSteps(); step++) {
                float[] real = pd.sample(p.batch(), LabNets.seed(p.seed(), 0, step));
                float[] fake = pg.sample(p.batch(), LabNets.seed(p.seed(), 1, step));
                LabNets.discriminatorStep(manager, d, optD, real, fake);
                if (step % every == 0 || step == p.dSteps()) {
                    probes.add(probe(step, LabNets.inputGradients(manager, d, evalFake)));
                }
            }
            last = LabNets.inputGradients(manager, d, evalFake);
            dState = d.state();
        }
        Probe end = probes.get(probes.size() - 1);
        double closedFormError = closedFormError(last);

        List<String> pngs = new ArrayList<>();
        Path gradPng = p.out().resolve("saturation.png");
        double[] dgz = probes.stream().mapToDouble(Probe::meanDgz).toArray();
        Plots.linePlot(gradPng, "Gradient reaching G(z) as D wins (D trained against a fixed poor G)",
                "mean D(G(z))", "mean |dL_G / dG(z)| (log scale)",
                List.of(new Plots.Series("minimax  log(1 - D(G(z)))", dgz, probes.stream().mapToDouble(Probe::gradMinimax).toArray()),
                        new Plots.Series("non-saturating  -log D(G(z))", dgz,
                                probes.stream().mapToDouble(Probe::gradNonSaturating).toArray())),
                true);
        pngs.add(gradPng.toString());

        double jsdMm = Double.NaN;
        double jsdNs = Double.NaN;
        if (p.trainSteps() > 0) {
            double[][] mm = game(p, dState, LabNets.MINIMAX, grid, pd);
            double[][] ns = game(p, dState, LabNets.STANDARD, grid, pd);
            jsdMm = mm[1][mm[1].length - 1];
            jsdNs = ns[1][ns[1].length - 1];
            Path trainPng = p.out().resolve("saturation-training.png");
            Plots.linePlot(trainPng, "From the saturated start: JSD(p_data || p_g) while G trains (SGD)",
                    "generator step", "JSD (nats)",
                    List.of(new Plots.Series("minimax", mm[0], mm[1]), new Plots.Series("non-saturating", ns[0], ns[1])),
                    List.of(new Plots.RefLine("log 2 (disjoint supports)", Divergences.LOG2)),
                    Plots.Options.DEFAULT.withYRange(0, 0.75));
            pngs.add(trainPng.toString());
        }
        return new Result(end.meanDgz(), end.gradMinimax(), end.gradNonSaturating(),
                end.gradNonSaturating() / end.gradMinimax(), closedFormError, jsdStart, jsdMm, jsdNs, probes,
                p.dSteps(), p.trainSteps(), (System.nanoTime() - start) / 1e9, pngs);
    }

    /** Mean D(G(z)) and mean per-sample gradient magnitudes. */
    static Probe probe(int step, LabNets.InputGradients g) {
        int n = g.logit().length;
        double dgz = 0;
        double mm = 0;
        double ns = 0;
        for (int i = 0; i < n; i++) {
            dgz += Divergences.sigmoid(g.logit()[i]);
            mm += Math.abs(g.minimax()[i][0]);
            ns += Math.abs(g.nonSaturating()[i][0]);
        }
        return new Probe(step, dgz / n, mm / n, ns / n);
    }

    /**
     * The largest relative difference between the autograd gradients and the closed forms
     * −σ(l)·∂l/∂x (minimax) and −(1 − σ(l))·∂l/∂x (non-saturating).
     */
    static double closedFormError(LabNets.InputGradients g) {
        double worst = 0;
        for (int i = 0; i < g.logit().length; i++) {
            double s = Divergences.sigmoid(g.logit()[i]);
            for (int j = 0; j < g.dLogit()[i].length; j++) {
                double dl = g.dLogit()[i][j];
                worst = Math.max(worst, relErr(g.minimax()[i][j], -s * dl));
                worst = Math.max(worst, relErr(g.nonSaturating()[i][j], -(1 - s) * dl));
            }
        }
        return worst;
    }

    private static double relErr(double got, double want) {
        return Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);
    }

    /** One game from the saturated start: returns {steps, JSD} records. */
    private static double[][] game(Params p, float[][] dState, GanLoss loss, Grid1D grid, Density1D pd) {
        int every = Math.max(1, p.trainSteps() / RECORDS);
        List<double[]> rec = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, 0);
            Mlp d = new Mlp(manager, "d", 1, D_WIDTH, 2, Mlp.Activation.RELU);
            d.load(dState);
            AffineGenerator g = new AffineGenerator(manager, "g", p.gStd(), p.gMean());
            Optimizer optD = LabNets.adam(manager, d.params(), p.lrD(), 0.5);
            Optimizer optG = LabNets.sgd(manager, g.params(), p.lrG(), 0.5);
            rec.add(new double[] {0, Divergences.jsdBinned(pd, g.density(), grid)});
            Density1D noise = Density1D.normal(0, 1);
            for (int step = 1; step <= p.trainSteps(); step++) {
                float[] real = pd.sample(p.batch(), LabNets.seed(p.seed(), 3, step));
                float[] z = noise.sample(p.batch(), LabNets.seed(p.seed(), 4, step));
                LabNets.discriminatorStep(manager, d, optD, real, Figure1.toFloat(g.evaluate(manager, z)));
                LabNets.generatorStep(manager, g, d, optG, loss, noise.sample(p.batch(), LabNets.seed(p.seed(), 5, step)));
                if (step % every == 0 || step == p.trainSteps()) {
                    rec.add(new double[] {step, Divergences.jsdBinned(pd, g.density(), grid)});
                }
            }
        }
        return new double[][] {rec.stream().mapToDouble(r -> r[0]).toArray(), rec.stream().mapToDouble(r -> r[1]).toArray()};
    }

    /** Wide enough for both distributions and a generator that overshoots. */
    private static Grid1D jsdGrid(Params p) {
        double lo = Math.min(p.dataMean() - 10 * p.dataStd(), p.gMean() - 10 * p.gStd());
        double hi = Math.max(p.dataMean() + 10 * p.dataStd(), p.gMean() + 10 * p.gStd());
        double span = hi - lo;
        return new Grid1D(lo - span, hi + span, 6001);
    }
}
