package dev.gantry.lab;

import dev.gantry.report.Plots;
import java.nio.file.Path;
import java.util.List;

/**
 * Theorem 1 of Goodfellow et al. (2014), "Generative Adversarial Nets": at the optimal
 * discriminator the value of the game is C(G) = V(D*, G) = −log 4 + 2·JSD(p_data‖p_g), and for any
 * other D, V(D, G) ≤ C(G).
 *
 * <p>With the D trained by {@link OptimalD} (same parameters), V(D, G) = ∫ p_data log D + p_g
 * log(1 − D) dx is integrated by the trapezoid rule on the grid from D's logits, as is the JSD,
 * and both are compared with C(G); V at the closed-form D* must equal C(G) to integration accuracy,
 * since the identity holds pointwise up to the densities' masses (each 1).
 */
public final class ValueIdentity {

    private ValueIdentity() {}

    /**
     * @param valueTrained V(D, G) with the trained D
     * @param valueOptimal V(D*, G) with D* in closed form
     * @param jsd JSD(p_data‖p_g), numerical
     * @param cOfG −log 4 + 2·JSD
     * @param gap C(G) − V(D, G), non-negative in theory: how far the trained D is from optimal in value
     * @param identityError V(D*, G) − C(G), zero up to integration error
     */
    public record Result(double valueTrained, double valueOptimal, double jsd, double cOfG, double gap,
            double identityError, String pData, String pG, int steps, double seconds, String png) {

        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "value-identity: V(D,G) = %.5f vs -log 4 + 2 JSD = %.5f (JSD %.5f; gap %.5f); V(D*,G) - C(G) = %.1e (%d steps, %.1f s) -> %s",
                    valueTrained, cOfG, jsd, gap, identityError, steps, seconds, png);
        }
    }

    public static Result run(OptimalD.Params p) {
        OptimalD.Trained t = OptimalD.train(p);
        Grid1D grid = t.grid();
        double[] dStar = Divergences.optimalDiscriminator(t.pData(), t.pG());
        double valueTrained = Divergences.valueFromLogits(grid, t.pData(), t.pG(), t.logits());
        double valueOptimal = Divergences.valueAtOptimum(grid, t.pData(), t.pG());
        double jsd = Divergences.jsd(grid, t.pData(), t.pG());
        double c = -Divergences.LOG4 + 2 * jsd;
        Path png = p.out().resolve("value-identity.png");
        double[] x = grid.xs();
        Plots.linePlot(png, String.format(java.util.Locale.ROOT,
                        "V(D,G) = %.4f (trained D), V(D*,G) = %.4f, -log 4 + 2 JSD = %.4f", valueTrained, valueOptimal, c),
                "x", "integrand of V: p_data log D + p_g log(1 - D)",
                List.of(new Plots.Series("trained D", x, Divergences.valueIntegrandFromLogits(t.pData(), t.pG(), t.logits())),
                        new Plots.Series("D* (closed form)", x, Divergences.valueIntegrand(t.pData(), t.pG(), dStar))));
        return new Result(valueTrained, valueOptimal, jsd, c, c - valueTrained, valueOptimal - c,
                p.pData().describe(), p.pG().describe(), p.steps(), t.seconds(), png.toString());
    }
}
