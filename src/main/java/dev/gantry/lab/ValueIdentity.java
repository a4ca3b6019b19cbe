package dev.gantry.lab;

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

    /**
     * The pointwise shortfall of D against D*: [p log D* + q log(1 − D*)] − [p log D + q log(1 − D)]
     * = (p + q)·KL(Bernoulli(D*)‖Bernoulli(D)) ≥ 0, from D's logits.
     */
    static double[] pointwiseGap(double[] pData, double[] pG, double[] logits) {
        double[] gap = new double[pData.length];
        for (int i = 0; i < gap.length; i++) {
            double s = pData[i] + pG[i];
            double best = (pData[i] == 0 ? 0 : pData[i] * Math.log(pData[i] / s))
                    + (pG[i] == 0 ? 0 : pG[i] * Math.log(pG[i] / s));
            gap[i] = best + pData[i] * Divergences.softplus(-logits[i]) + pG[i] * Divergences.softplus(logits[i]);
        }
        return gap;
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
        plot(png, t, valueTrained, valueOptimal, c);
        return new Result(valueTrained, valueOptimal, jsd, c, c - valueTrained, valueOptimal - c,
                p.pData().describe(), p.pG().describe(), p.steps(), t.seconds(), png.toString());
    }

    private static void plot(Path png, OptimalD.Trained t, double valueTrained, double valueOptimal, double c) {
        boolean[] region = t.region();
        int from = 0;
        while (!region[from]) {
            from++;
        }
        int to = region.length - 1;
        while (!region[to]) {
            to--;
        }
        int margin = (to - from) / 10;
        from = Math.max(0, from - margin);
        to = Math.min(region.length - 1, to + margin);
        int n = to - from + 1;
        double[] x = new double[n];
        double[] fd = new double[n];
        double[] fs = new double[n];
        double[] gap = new double[n];
        double[] trained = Divergences.valueIntegrandFromLogits(t.pData(), t.pG(), t.logits());
        double[] pointGap = pointwiseGap(t.pData(), t.pG(), t.logits());
        for (int i = 0; i < n; i++) {
            int j = from + i;
            x[i] = t.grid().x(j);
            fd[i] = trained[j];
            double s = t.pData()[j] + t.pG()[j];
            fs[i] = (t.pData()[j] == 0 ? 0 : t.pData()[j] * Math.log(t.pData()[j] / s))
                    + (t.pG()[j] == 0 ? 0 : t.pG()[j] * Math.log(t.pG()[j] / s));
            gap[i] = pointGap[j];
        }
        java.awt.image.BufferedImage left = LabCharts.chart(String.format(java.util.Locale.ROOT,
                        "V(D,G) = %.5f, V(D*,G) = %.5f, -log 4 + 2 JSD = %.5f", valueTrained, valueOptimal, c),
                "x", "p_data log D + p_g log(1 - D)",
                List.of(new LabCharts.Curve("D*", x, fs, new java.awt.Color(0xFF7F0E), LabCharts.SOLID),
                        new LabCharts.Curve("trained D", x, fd, new java.awt.Color(0x1F77B4), LabCharts.DASHED)),
                640, 420, Double.NaN, Double.NaN);
        double peak = java.util.Arrays.stream(gap).max().orElse(0);
        int exponent = peak > 0 ? (int) Math.floor(Math.log10(peak)) : 0;
        double unit = Math.pow(10, exponent);
        double[] scaled = java.util.Arrays.stream(gap).map(v -> v / unit).toArray();
        java.awt.image.BufferedImage right = LabCharts.chart(String.format(java.util.Locale.ROOT,
                        "Pointwise shortfall of D (integrates to the gap %.2e)", c - valueTrained),
                "x", "(p_data + p_g) KL(Bern(D*) || Bern(D))  in units of 1e" + exponent,
                List.of(new LabCharts.Curve("shortfall", x, scaled, new java.awt.Color(0xD62728), LabCharts.SOLID)),
                640, 420, 0, Double.NaN, "0.#");
        LabCharts.write(png, LabCharts.tile(List.of(left, right), 2));
    }
}
