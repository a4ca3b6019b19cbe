package dev.gantry.lab;

import java.util.Arrays;

/**
 * The divergences and distances of GAN theory, computed from densities or distribution functions
 * by numerical integration, with natural logarithms (nats).
 *
 * <p>Goodfellow et al. (2014), Theorem 1: for the optimal discriminator D* = p_data/(p_data+p_g)
 * the game's value is C(G) = −log 4 + 2·JSD(p_data‖p_g), so the generator minimises the
 * Jensen–Shannon divergence, which is 0 iff p_g = p_data and log 2 when the supports are
 * disjoint. Arjovsky, Chintala and Bottou (2017), "Wasserstein GAN", §2: the earth mover's
 * distance W1 keeps measuring how far apart disjoint distributions are; in one dimension it is
 * W1 = ∫ |F_p(x) − F_q(x)| dx (Vallender, 1973).
 */
public final class Divergences {

    public static final double LOG2 = Math.log(2);
    public static final double LOG4 = Math.log(4);

    private Divergences() {}

    /**
     * JSD(p‖q) = ½ KL(p‖m) + ½ KL(q‖m), m = (p+q)/2, by the trapezoid rule from the densities' values
     * on {@code grid}; 0·log 0 counts as 0.
     */
    public static double jsd(Grid1D grid, double[] p, double[] q) {
        return grid.trapezoid(jsdIntegrand(p, q));
    }

    /** The pointwise integrand of {@link #jsd}: ½[p log(2p/(p+q)) + q log(2q/(p+q))]. */
    public static double[] jsdIntegrand(double[] p, double[] q) {
        check(p, q);
        double[] f = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double s = p[i] + q[i];
            f[i] = 0.5 * (xlog(p[i], 2 * p[i] / s) + xlog(q[i], 2 * q[i] / s));
        }
        return f;
    }

    /** JSD of two discrete distributions (probability vectors of the same length, each summing to 1). */
    public static double jsdDiscrete(double[] p, double[] q) {
        check(p, q);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double s = p[i] + q[i];
            sum += 0.5 * (xlog(p[i], 2 * p[i] / s) + xlog(q[i], 2 * q[i] / s));
        }
        return sum;
    }

    /**
     * JSD of two distributions coarse-grained to the bins between consecutive points of
     * {@code edges} (plus the two tails beyond them), each bin's mass exact from the distribution
     * functions. Works for densities with jumps (uniforms) where the trapezoid rule does not; by
     * the data-processing inequality it approaches the continuous JSD from below as the bins shrink.
     */
    public static double jsdBinned(Density1D p, Density1D q, Grid1D edges) {
        int bins = edges.n() + 1;
        double[] pm = new double[bins];
        double[] qm = new double[bins];
        double pPrev = 0;
        double qPrev = 0;
        for (int i = 0; i < edges.n(); i++) {
            double pc = p.cdf(edges.x(i));
            double qc = q.cdf(edges.x(i));
            pm[i] = Math.max(0, pc - pPrev);
            qm[i] = Math.max(0, qc - qPrev);
            pPrev = pc;
            qPrev = qc;
        }
        pm[bins - 1] = Math.max(0, 1 - pPrev);
        qm[bins - 1] = Math.max(0, 1 - qPrev);
        return jsdDiscrete(pm, qm);
    }

    /** Differential entropy −∫ p log p by the trapezoid rule. */
    public static double entropy(Grid1D grid, double[] p) {
        double[] f = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = -xlog(p[i], p[i]);
        }
        return grid.trapezoid(f);
    }

    /** The differential entropy of N(μ, σ²): ½ log(2πeσ²). */
    public static double gaussianEntropy(double std) {
        return 0.5 * Math.log(2 * Math.PI * Math.E * std * std);
    }

    /** D*(x) = p_data/(p_data + p_g), pointwise; ½ where both densities vanish. */
    public static double[] optimalDiscriminator(double[] pData, double[] pG) {
        check(pData, pG);
        double[] d = new double[pData.length];
        for (int i = 0; i < d.length; i++) {
            double s = pData[i] + pG[i];
            d[i] = s > 0 ? pData[i] / s : 0.5;
        }
        return d;
    }

    /**
     * The value function V(D, G) = ∫ p_data log D + p_g log(1 − D) dx from D's logits l on the
     * grid (D = σ(l)): log D = −softplus(−l) and log(1 − D) = −softplus(l) never round a
     * probability to 0 or 1 first.
     */
    public static double valueFromLogits(Grid1D grid, double[] pData, double[] pG, double[] logits) {
        return grid.trapezoid(valueIntegrandFromLogits(pData, pG, logits));
    }

    /** The pointwise integrand of {@link #valueFromLogits}. */
    public static double[] valueIntegrandFromLogits(double[] pData, double[] pG, double[] logits) {
        check(pData, pG);
        check(pData, logits);
        double[] f = new double[pData.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = -pData[i] * softplus(-logits[i]) - pG[i] * softplus(logits[i]);
        }
        return f;
    }

    /**
     * V(D*, G) for D* = p_data/(p_data + p_g) from the densities themselves:
     * ∫ p_data log(p_data/(p_data+p_g)) + p_g log(p_g/(p_data+p_g)) dx, with 0·log 0 = 0. Going
     * through D* as a probability would round 1 − D* to 0 in the tails, where p_g ≪ p_data, and
     * turn a vanishing term into −∞.
     */
    public static double valueAtOptimum(Grid1D grid, double[] pData, double[] pG) {
        check(pData, pG);
        double[] f = new double[pData.length];
        for (int i = 0; i < f.length; i++) {
            double s = pData[i] + pG[i];
            f[i] = xlog(pData[i], pData[i] / s) + xlog(pG[i], pG[i] / s);
        }
        return grid.trapezoid(f);
    }

    /**
     * V(D, G) from D's probabilities on the grid, with 0·log 0 = 0. Where D rounds to 1 but p_g is
     * positive the value is −∞, as it should be for such a D; for a D close to 1 in the tails, use
     * {@link #valueFromLogits} or, for D*, {@link #valueAtOptimum}.
     */
    public static double value(Grid1D grid, double[] pData, double[] pG, double[] d) {
        return grid.trapezoid(valueIntegrand(pData, pG, d));
    }

    /** The pointwise integrand of {@link #value}. */
    public static double[] valueIntegrand(double[] pData, double[] pG, double[] d) {
        check(pData, pG);
        check(pData, d);
        double[] f = new double[pData.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = xlog(pData[i], d[i]) + xlog(pG[i], 1 - d[i]);
        }
        return f;
    }

    /** W1(p, q) = ∫ |F_p − F_q| dx over {@code grid}, by the trapezoid rule. */
    public static double w1(Grid1D grid, Density1D p, Density1D q) {
        return grid.trapezoid(grid.map(x -> Math.abs(p.cdf(x) - q.cdf(x))));
    }

    /**
     * W1 between two samples of the same size: the mean distance between their order statistics
     * (the optimal transport plan in one dimension matches them in sorted order).
     */
    public static double w1Empirical(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("samples must be non-empty and of the same size, got "
                    + a.length + " and " + b.length);
        }
        float[] sa = a.clone();
        float[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double sum = 0;
        for (int i = 0; i < sa.length; i++) {
            sum += Math.abs((double) sa[i] - sb[i]);
        }
        return sum / sa.length;
    }

    /** log(1 + eˣ) without overflow. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** σ(x) = 1/(1 + e⁻ˣ). */
    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** a·log(b), with 0·log(anything) = 0. */
    private static double xlog(double a, double b) {
        return a == 0 ? 0 : a * Math.log(b);
    }

    private static void check(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("arrays differ in length: " + p.length + " vs " + q.length);
        }
    }
}
