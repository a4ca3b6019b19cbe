package dev.gantry.data;

import java.util.SplittableRandom;

/**
 * A one-dimensional normal distribution, the data distribution of the toy problem in Figure 1 of
 * Goodfellow et al. (2014), with samples, density and a cumulative distribution function accurate
 * to double precision.
 *
 * <p>The mode-coverage benchmarks of Lin et al. (2018), "PacGAN: The power of two samples in
 * generative adversarial networks", use its two-dimensional relatives ({@link ToyMixture}); both
 * draw normal deviates the same way, with the Box–Muller transform on a {@link SplittableRandom},
 * so a seed gives the same samples on every JVM.
 *
 * <p>{@link #erf} and {@link #erfc} are W. J. Cody's rational Chebyshev approximations ("Rational
 * Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637), with the
 * coefficients and the three intervals ([0, 0.46875], (0.46875, 4], (4, ∞)) of his Fortran routine
 * CALERF in Netlib SPECFUN, including its split of {@code exp(-x²)} that keeps the tail accurate.
 * Their relative error is near the double-precision rounding error over the whole line, in the
 * tails too, which the 1e-7 approximations of Abramowitz and Stegun (7.1.26) are not.
 *
 * @param mean the mean
 * @param std the standard deviation, positive
 */
public record Gaussian1D(double mean, double std) {

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** 1/√π. */
    private static final double SQRPI = 5.6418958354775628695e-1;
    /** Beyond this, erfc underflows to 0 in double precision (CALERF's XBIG). */
    private static final double XBIG = 26.543;

    // CALERF coefficients. A/B: erf on [0, 0.46875].
    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02,
            3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02,
            1.28261652607737228e03, 2.84423683343917062e03};
    // C/D: exp(x²)·erfc(x) on (0.46875, 4].
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
            6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
            1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
            2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
            5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
            4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    // P/Q: exp(x²)·erfc(x) on (4, ∞), a rational function of 1/x².
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
            1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
            1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00,
            5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};

    /** The standard normal, mean 0 and standard deviation 1. */
    public static final Gaussian1D STANDARD = new Gaussian1D(0, 1);

    public Gaussian1D {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        if (!(std > 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("std must be positive and finite, got " + std);
        }
    }

    /**
     * Draws {@code n} samples, deterministic for a given seed.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public float[] sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[2];
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
            standardNormalPair(rng, z);
            out[i] = (float) (mean + std * z[0]);
            if (i + 1 < n) {
                out[i + 1] = (float) (mean + std * z[1]);
            }
        }
        return out;
    }

    /** The density at {@code x}. */
    public double pdf(double x) {
        double z = (x - mean) / std;
        return INV_SQRT_2PI / std * Math.exp(-0.5 * z * z);
    }

    /** P(X ≤ x), accurate to a few ulps relative, in the lower tail too. */
    public double cdf(double x) {
        return standardCdf((x - mean) / std);
    }

    /**
     * Φ(z), the standard normal distribution function, as ½·erfc(−z/√2) so that the lower tail
     * keeps its relative accuracy (1 − ½·erfc(z/√2) would cancel to 0 below z ≈ −8).
     */
    public static double standardCdf(double z) {
        return 0.5 * erfc(-z / SQRT_2);
    }

    /** The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt (Cody 1969). */
    public static double erf(double x) {
        double y = Math.abs(x);
        if (y <= 0.46875) {
            return x * smallRatio(y * y);
        }
        // 1 - erfc(y), written as CALERF does: (0.5 - erfc) + 0.5.
        double r = (0.5 - erfcPositive(y)) + 0.5;
        return x < 0 ? -r : r;
    }

    /** The complementary error function erfc(x) = 1 − erf(x), accurate in the tail (Cody 1969). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double y = Math.abs(x);
        if (y <= 0.46875) {
            return 1.0 - x * smallRatio(y * y);
        }
        double r = erfcPositive(y);
        return x < 0 ? 2.0 - r : r;
    }

    /** erf(y)/y for y² = ysq ≤ 0.46875². */
    private static double smallRatio(double ysq) {
        double num = A[4] * ysq;
        double den = ysq;
        for (int i = 0; i < 3; i++) {
            num = (num + A[i]) * ysq;
            den = (den + B[i]) * ysq;
        }
        return (num + A[3]) / (den + B[3]);
    }

    /** erfc(y) for y > 0.46875. */
    private static double erfcPositive(double y) {
        if (y >= XBIG) {
            return 0.0;
        }
        double scaled; // exp(y²)·erfc(y)
        if (y <= 4.0) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            scaled = (num + C[7]) / (den + D[7]);
        } else {
            double z = 1.0 / (y * y);
            double num = P[5] * z;
            double den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            double r = z * (num + P[4]) / (den + Q[4]);
            scaled = (SQRPI - r) / y;
        }
        // exp(-y²) as exp(-t²)·exp(-(y-t)(y+t)) with t = y rounded down to 1/16: t² is exact, so
        // the rounding error of y² does not get amplified by the exponential.
        double t = Math.floor(y * 16.0) / 16.0;
        double del = (y - t) * (y + t);
        return Math.exp(-t * t) * Math.exp(-del) * scaled;
    }

    /**
     * Fills {@code out[0]} and {@code out[1]} with two independent standard normal deviates by the
     * Box–Muller transform (Box and Muller, 1958).
     */
    static void standardNormalPair(SplittableRandom rng, double[] out) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log stays finite
        double u2 = rng.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        out[0] = r * Math.cos(theta);
        out[1] = r * Math.sin(theta);
    }
}
