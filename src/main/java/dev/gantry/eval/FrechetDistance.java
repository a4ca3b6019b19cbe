package dev.gantry.eval;

import dev.gantry.BadInputException;

/**
 * Fréchet distance between two Gaussians fitted to feature sets, the formula of the Fréchet
 * Inception Distance (Heusel, Ramsauer, Unterthiner, Nessler and Hochreiter, "GANs Trained by a Two
 * Time-Scale Update Rule Converge to a Local Nash Equilibrium", NIPS 2017):
 *
 * <pre>
 *   d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
 * </pre>
 *
 * <p>Moments as pytorch-fid ({@code calculate_frechet_distance}) and TTUR's {@code fid.py}: sample
 * means and unbiased (n − 1) covariances, see {@link Gaussian#fit}. Where Gantry deviates:
 * <ul>
 *   <li>the references take {@code scipy.linalg.sqrtm(Σ₁Σ₂)} of the non-symmetric product (and,
 *       when it is singular, retry with 10⁻⁶·I added to both covariances), then drop an imaginary
 *       part. Gantry uses the symmetric form: S = Σ₁^½ by a symmetric eigendecomposition
 *       ({@link SymmetricEigen}: Householder tridiagonalisation and implicit QL in double), then
 *       the eigenvalues λ of the symmetric PSD matrix S·Σ₂·S, and tr((SΣ₂S)^½) = Σ √max(λ, 0);
 *       Σ₂ is checked PSD by a Cholesky factorisation. Σ₁Σ₂ and SΣ₂S are similar, so in
 *       exact arithmetic the trace is the same; no offset is added and singular covariances (fewer
 *       samples than features) need no special case: eigenvalues that are rounding noise (below
 *       10·f·ε·max λ, or slightly negative) are clamped to 0 ({@link SymmetricEigen#clampedRoots});</li>
 *   <li>all of it runs in double; the result is not clamped, so a set against itself gives 0 up to
 *       rounding (it may be −1e-12·tr Σ).</li>
 * </ul>
 * Pure Java: the covariances need n·f²/2 multiply-adds each, the rest about 15·f³ flops (measured
 * on a loaded 2-core machine: 0.15 s for f = 128, 1.6 s for f = 512).
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /**
     * One Fréchet distance.
     *
     * @param distance d² = meanTerm + traceTerm (FID reports this squared distance)
     * @param meanTerm ‖μ₁ − μ₂‖²
     * @param traceTerm tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
     * @param dimension f
     */
    public record Result(double distance, double meanTerm, double traceTerm, int dimension) {}

    /**
     * The Fréchet distance between Gaussians fitted to {@code real} [nReal, f] and {@code fake}
     * [nFake, f].
     *
     * @throws BadInputException if a matrix has the wrong size, fewer than 2 rows or a non-finite
     *     value
     */
    public static Result compute(float[] real, int nReal, float[] fake, int nFake, int f) {
        FeatureInputs.requireFeatures("real features", real, nReal, f, 2, "for an unbiased covariance");
        FeatureInputs.requireFeatures("fake features", fake, nFake, f, 2, "for an unbiased covariance");
        return of(Gaussian.fit(real, nReal, f), Gaussian.fit(fake, nFake, f));
    }

    /**
     * The Fréchet distance between two Gaussians given by their moments.
     *
     * @throws BadInputException if the dimensions differ or a covariance is not positive
     *     semi-definite
     */
    public static Result of(Gaussian a, Gaussian b) {
        if (a == null || b == null) {
            throw new BadInputException("Fréchet distance needs two Gaussians; got null");
        }
        int f = a.dimension();
        if (b.dimension() != f) {
            throw new BadInputException("Fréchet distance of Gaussians of dimension " + f + " and " + b.dimension()
                    + "; expected equal feature widths");
        }
        double[] mu1 = a.meanView();
        double[] mu2 = b.meanView();
        double[] s1 = a.covarianceView();
        double[] s2 = b.covarianceView();
        double meanTerm = 0;
        for (int t = 0; t < f; t++) {
            double d = mu1[t] - mu2[t];
            meanTerm += d * d;
        }
        double trace1 = 0;
        double trace2 = 0;
        for (int t = 0; t < f; t++) {
            trace1 += s1[t * f + t];
            trace2 += s2[t * f + t];
        }
        // Σ₂ must be PSD too: Σ₁^½ Σ₂ Σ₁^½ shows a negative eigenvalue of Σ₂ only where Σ₁ is not singular
        SymmetricEigen.requirePsd("second covariance", s2, f);
        double[] root1 = SymmetricEigen.of(s1, f).sqrtPsd("first covariance");
        double[] m = symmetricProduct(root1, s2, f); // Σ₁^½ Σ₂ Σ₁^½
        double[] roots = SymmetricEigen.clampedRoots("Σ₁^½ Σ₂ Σ₁^½", SymmetricEigen.eigenvalues(m, f));
        double traceRoot = 0;
        for (double r : roots) {
            traceRoot += r;
        }
        double traceTerm = trace1 + trace2 - 2 * traceRoot;
        return new Result(meanTerm + traceTerm, meanTerm, traceTerm, f);
    }

    /** S·B·S for symmetric S and B, made exactly symmetric. */
    static double[] symmetricProduct(double[] s, double[] b, int f) {
        double[] sb = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int k = 0; k < f; k++) {
                double sik = s[i * f + k];
                if (sik == 0) {
                    continue;
                }
                for (int j = 0; j < f; j++) {
                    sb[i * f + j] += sik * b[k * f + j];
                }
            }
        }
        double[] out = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = i; j < f; j++) {
                double sum = 0;
                for (int k = 0; k < f; k++) {
                    sum += sb[i * f + k] * s[k * f + j]; // s symmetric: s[k][j] = s[j][k]
                }
                out[i * f + j] = sum;
            }
        }
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < i; j++) {
                out[i * f + j] = out[j * f + i];
            }
        }
        return out;
    }
}
