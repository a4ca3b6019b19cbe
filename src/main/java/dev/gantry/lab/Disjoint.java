package dev.gantry.lab;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.optim.Optimizer;
import dev.gantry.report.Plots;
import dev.gantry.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the Jensen–Shannon divergence gives a generator nothing to follow when its support is
 * disjoint from the data's, and the earth mover's distance does: the example of Arjovsky, Chintala
 * and Bottou (2017), "Wasserstein GAN", §2 (Example 1, parallel lines), in one dimension, against
 * the theory of Goodfellow et al. (2014), whose generator minimises JSD at the optimal D.
 *
 * <p>p_data = U(−a, a) and p_θ = U(θ − a, θ + a), narrow uniforms standing for point masses. In
 * closed form, JSD(p_data‖p_θ) = log 2 · min(1, |θ|/2a), flat at log 2 as soon as the supports
 * separate, while W1 = |θ| for every θ. Both are also computed numerically — JSD from the exact
 * masses of fine bins, W1 = ∫|F_data − F_θ| dx — and drawn against θ.
 *
 * <p>Then, at a few θ, the gradient with respect to θ that G receives: from a D (1 → 32 → 32 → 1,
 * ReLU, Adam) trained to near-optimality against p_θ, for the minimax loss E log(1 − D(θ + u)) and
 * the non-saturating loss E −log D(θ + u), by autograd; from the optimal 1-Lipschitz critic, whose
 * slope is f'(x) = sign(F_θ(x) − F_data(x)), so ∂W1/∂θ = −E_θ f'(x) (±1 for separated supports);
 * and of the JSD itself (0 beyond 2a). The exact D* is 1 on the data's support and 0 on G's, flat
 * around every fake sample, so it passes G no gradient at all; a trained D passes a minimax gradient
 * that vanishes as D(G(z)) → 0 and a non-saturating one whose size reflects D's arbitrary slope
 * between the supports, not the distance θ.
 */
public final class Disjoint {

    static final int D_WIDTH = 32;
    static final int EVAL_SAMPLES = 1000;
    static final double FD_STEP = 1e-4;

    private Disjoint() {}

    /**
     * @param halfWidth a: the half-width of both uniforms
     * @param thetaMax the largest shift plotted (curves go from 0 to it)
     * @param points points per curve
     * @param gradThetas shifts at which the gradients are measured
     * @param dSteps Adam steps of each D
     * @param batch samples per minibatch
     * @param lr Adam's learning rate (β1 = 0.5)
     * @param seed seed of every initialisation and batch
     * @param out directory of the PNGs
     */
    public record Params(double halfWidth, double thetaMax, int points, List<Double> gradThetas, int dSteps,
            int batch, double lr, long seed, Path out) {

        public Params {
            Checks.positive("--half-width", halfWidth);
            Checks.positive("--theta-max", thetaMax);
            Checks.intRange("--points", points, 2, 100_000);
            Checks.notNull("--grad-thetas", gradThetas);
            if (gradThetas.isEmpty() || gradThetas.size() > 20) {
                throw new BadInputException("--grad-thetas must list 1 to 20 shifts (got " + gradThetas.size() + ")");
            }
            for (Double t : gradThetas) {
                if (t == null || !(t > 0 && Double.isFinite(t))) {
                    throw new BadInputException("--grad-thetas must be positive numbers (got " + t + ")");
                }
            }
            gradThetas = List.copyOf(gradThetas);
            Checks.intRange("--d-steps", dSteps, 1, 1_000_000);
            Checks.intRange("--batch", batch, 1, 1 << 16);
            Checks.range("--lr", lr, 0, 1);
            Checks.outDir(out);
        }

        public static Params defaults() {
            return new Params(0.1, 2.0, 21, List.of(2.0, 1.0, 0.5, 0.1), 400, 256, 1e-3, 0, Path.of("lab-out"));
        }

        public Params withBudget(List<Double> gradThetas, int dSteps) {
            return new Params(halfWidth, thetaMax, points, gradThetas, dSteps, batch, lr, seed, out);
        }

        public Params withOut(Path out) {
            return new Params(halfWidth, thetaMax, points, gradThetas, dSteps, batch, lr, seed, out);
        }
    }

    /**
     * The gradients G receives at one θ; each is ∂(G's loss)/∂θ, positive when descending it moves
     * p_θ towards p_data.
     *
     * @param meanDgz mean D(G(z)) of the trained D
     * @param minimax ∂/∂θ E log(1 − D(θ + u)) through the trained D
     * @param nonSaturating ∂/∂θ E −log D(θ + u) through the trained D
     * @param wasserstein ∂W1/∂θ = −E_θ f'(x) from the optimal critic's slope
     * @param wassersteinFd the same by a central difference of the numerical W1
     * @param jsd ∂JSD/∂θ by a central difference of the closed form
     */
    public record Gradients(double theta, double meanDgz, double minimax, double nonSaturating, double wasserstein,
            double wassersteinFd, double jsd) {}

    /**
     * @param jsdMaxError max |numerical − closed-form JSD| over the curve
     * @param w1MaxError max |numerical − closed-form W1| over the curve
     * @param jsdAtMax JSD at θ = thetaMax (log 2 once the supports are disjoint)
     * @param w1AtMax W1 at θ = thetaMax
     */
    public record Result(double jsdMaxError, double w1MaxError, double jsdAtMax, double w1AtMax,
            List<Gradients> gradients, double halfWidth, double seconds, List<String> pngs) {

        public String line() {
            StringBuilder g = new StringBuilder();
            for (Gradients r : gradients) {
                g.append(String.format(java.util.Locale.ROOT,
                        "; theta %.2f: D(G(z)) %.1e, dL/dtheta minimax %.2e, non-saturating %.3g, W1 %.3f, JSD %.3f",
                        r.theta(), r.meanDgz(), r.minimax(), r.nonSaturating(), r.wasserstein(), r.jsd()));
            }
            return String.format(java.util.Locale.ROOT,
                    "disjoint: at theta_max JSD = %.4f (log 2 = %.4f), W1 = %.4f; numerical vs closed form: JSD %.1e, W1 %.1e%s (%.1f s) -> %s",
                    jsdAtMax, Divergences.LOG2, w1AtMax, jsdMaxError, w1MaxError, g, seconds, String.join(", ", pngs));
        }
    }

    /** JSD(U(−a, a)‖U(θ − a, θ + a)) = log 2 · min(1, |θ|/2a). */
    public static double jsdClosedForm(double theta, double a) {
        return Divergences.LOG2 * Math.min(1, Math.abs(theta) / (2 * a));
    }

    public static Result run(Params p) {
        long start = System.nanoTime();
        double a = p.halfWidth();
        Density1D data = Density1D.uniform(-a, a);
        Grid1D thetas = new Grid1D(0, p.thetaMax(), p.points());
        Grid1D edges = integrationGrid(p);
        double[] jsdClosed = thetas.map(t -> jsdClosedForm(t, a));
        double[] jsdNum = thetas.map(t -> Divergences.jsdBinned(data, shifted(t, a), edges));
        double[] w1Closed = thetas.map(Math::abs);
        double[] w1Num = thetas.map(t -> Divergences.w1(edges, data, shifted(t, a)));
        double jsdErr = maxAbsDiff(jsdClosed, jsdNum);
        double w1Err = maxAbsDiff(w1Closed, w1Num);

        List<String> pngs = new ArrayList<>();
        Path curves = p.out().resolve("disjoint.png");
        double[] x = thetas.xs();
        Plots.linePlot(curves, String.format(java.util.Locale.ROOT,
                        "p_data = U(-%s, %s), p_g = the same shifted by theta: JSD is flat, W1 is not", fmt(a), fmt(a)),
                "theta (shift of p_g)", "nats / distance",
                List.of(new Plots.Series("JSD (closed form)", x, jsdClosed), new Plots.Series("JSD (numerical)", x, jsdNum),
                        new Plots.Series("W1 (closed form |theta|)", x, w1Closed), new Plots.Series("W1 (numerical)", x, w1Num)),
                List.of(new Plots.RefLine("log 2", Divergences.LOG2)));
        pngs.add(curves.toString());

        List<Gradients> grads = new ArrayList<>();
        for (int i = 0; i < p.gradThetas().size(); i++) {
            grads.add(gradients(p, p.gradThetas().get(i), i, data, edges));
        }
        Path gradPng = p.out().resolve("disjoint-gradients.png");
        double[] gt = grads.stream().mapToDouble(Gradients::theta).toArray();
        Plots.linePlot(gradPng, "|dL_G/dtheta| that G receives (log scale; JSD's 0 beyond 2a is not drawn)",
                "theta", "|d loss / d theta|",
                List.of(new Plots.Series("minimax, trained D", gt, abs(grads, Gradients::minimax)),
                        new Plots.Series("non-saturating, trained D", gt, abs(grads, Gradients::nonSaturating)),
                        new Plots.Series("W1, optimal critic", gt, abs(grads, Gradients::wasserstein)),
                        new Plots.Series("JSD", gt, abs(grads, Gradients::jsd))),
                true);
        pngs.add(gradPng.toString());
        return new Result(jsdErr, w1Err, jsdNum[jsdNum.length - 1], w1Num[w1Num.length - 1], grads, a,
                (System.nanoTime() - start) / 1e9, pngs);
    }

    private static Gradients gradients(Params p, double theta, int index, Density1D data, Grid1D edges) {
        double a = p.halfWidth();
        Density1D fake = shifted(theta, a);
        float[] eval = fake.sample(EVAL_SAMPLES, LabNets.seed(p.seed(), 9, index));
        LabNets.InputGradients g;
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, index);
            Mlp d = new Mlp(manager, "d", 1, D_WIDTH, 2, Mlp.Activation.RELU);
            Optimizer opt = LabNets.adam(manager, d.params(), p.lr(), 0.5);
            for (int step = 0; step < p.dSteps(); step++) {
                long c = (long) index * p.dSteps() + step;
                LabNets.discriminatorStep(manager, d, opt, data.sample(p.batch(), LabNets.seed(p.seed(), 0, c)),
                        fake.sample(p.batch(), LabNets.seed(p.seed(), 1, c)));
            }
            g = LabNets.inputGradients(manager, d, eval);
        }
        // x = θ + u, so ∂/∂θ of a mean over samples is the mean of the per-sample ∂/∂x.
        double dgz = 0;
        double mm = 0;
        double ns = 0;
        double critic = 0;
        for (int i = 0; i < eval.length; i++) {
            dgz += Divergences.sigmoid(g.logit()[i]);
            mm += g.minimax()[i][0];
            ns += g.nonSaturating()[i][0];
            critic += Math.signum(fake.cdf(eval[i]) - data.cdf(eval[i]));
        }
        int n = eval.length;
        double w = -critic / n;
        double wFd = (Divergences.w1(edges, data, shifted(theta + FD_STEP, a))
                - Divergences.w1(edges, data, shifted(theta - FD_STEP, a))) / (2 * FD_STEP);
        double jsd = (jsdClosedForm(theta + FD_STEP, a) - jsdClosedForm(theta - FD_STEP, a)) / (2 * FD_STEP);
        return new Gradients(theta, dgz / n, mm / n, ns / n, w, wFd, jsd);
    }

    static Density1D shifted(double theta, double a) {
        return Density1D.uniform(theta - a, theta + a);
    }

    /** Edges/points of the numerical integrals: covers every shift, with the uniforms' edges on grid points. */
    private static Grid1D integrationGrid(Params p) {
        double a = p.halfWidth();
        double lo = -a - 1;
        double hi = Math.max(p.thetaMax(), p.gradThetas().stream().mapToDouble(Double::doubleValue).max().orElse(0))
                + a + 1 + FD_STEP;
        return new Grid1D(lo, hi, 200_001);
    }

    private static double[] abs(List<Gradients> g, java.util.function.ToDoubleFunction<Gradients> f) {
        return g.stream().mapToDouble(r -> Math.abs(f.applyAsDouble(r))).toArray();
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static String fmt(double v) {
        return String.valueOf(v);
    }
}
