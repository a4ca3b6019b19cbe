package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.Arrays;

/**
 * A multivariate Gaussian by its moments, the summary {@link FrechetDistance} compares: mean μ
 * [f] and covariance Σ row-major [f, f], in double.
 *
 * <p>{@link #fit} computes them as pytorch-fid's {@code calculate_activation_statistics}
 * ({@code np.mean(act, axis=0)}, {@code np.cov(act, rowvar=False)}) and TTUR's
 * {@code fid.py}: the sample mean and the unbiased covariance Σ = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ / (n − 1),
 * accumulated in double with the mean subtracted first (two passes).
 *
 * @param mean μ, length f ≥ 1
 * @param covariance Σ, row-major [f, f], finite and symmetric (within
 *     {@link SymmetricEigen#SYMMETRY_TOLERANCE}); positive semi-definiteness is checked where
 *     its square root is taken
 */
public record Gaussian(double[] mean, double[] covariance) {

    public Gaussian {
        if (mean == null || covariance == null) {
            throw new BadInputException("Gaussian needs a mean and a covariance; got "
                    + (mean == null ? "no mean" : "no covariance"));
        }
        int f = mean.length;
        if (f < 1) {
            throw new BadInputException("Gaussian mean is empty; expected at least one dimension");
        }
        for (int i = 0; i < f; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new BadInputException("Gaussian mean holds a non-finite value (" + mean[i] + ") at " + i
                        + "; expected finite numbers");
            }
        }
        if ((long) f * f != covariance.length) {
            throw new BadInputException("Gaussian covariance holds " + covariance.length + " values; expected "
                    + f + " × " + f + " for a mean of length " + f);
        }
        mean = mean.clone();
        covariance = SymmetricEigen.symmetricCopy("Gaussian covariance", covariance, f);
    }

    /** f, the dimension. */
    public int dimension() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] covariance() {
        return covariance.clone();
    }

    /** The internal arrays, for this package's computations: never write into them. */
    double[] meanView() {
        return mean;
    }

    double[] covarianceView() {
        return covariance;
    }

    /**
     * Sample mean and unbiased covariance of the rows of {@code features}.
     *
     * @param features row-major [n, f], finite
     * @param n rows, at least 2 (an unbiased covariance needs two)
     * @param f features per row, at least 1
     * @throws BadInputException if the shape does not match, n &lt; 2 or a value is not finite
     */
    public static Gaussian fit(float[] features, int n, int f) {
        FeatureInputs.requireFeatures("features", features, n, f, 2, "for an unbiased covariance");
        double[] mean = new double[f];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < f; t++) {
                mean[t] += features[i * f + t];
            }
        }
        for (int t = 0; t < f; t++) {
            mean[t] /= n;
        }
        double[] cov = new double[f * f];
        double[] c = new double[f];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < f; t++) {
                c[t] = features[i * f + t] - mean[t];
            }
            for (int a = 0; a < f; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                int row = a * f;
                for (int b = a; b < f; b++) {
                    cov[row + b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < f; a++) {
            for (int b = a; b < f; b++) {
                double v = cov[a * f + b] / (n - 1);
                cov[a * f + b] = v;
                cov[b * f + a] = v;
            }
        }
        return new Gaussian(mean, cov);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gaussian g && Arrays.equals(mean, g.mean) && Arrays.equals(covariance, g.covariance);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(covariance);
    }

    @Override
    public String toString() {
        return "Gaussian[dimension=" + mean.length + ", mean=" + Arrays.toString(mean) + "]";
    }
}
