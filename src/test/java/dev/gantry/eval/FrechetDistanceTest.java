package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void diagonalCovariancesGiveTheClosedForm() {
        double[] mu1 = {0.5, -1, 2, 0};
        double[] mu2 = {1.5, 1, 2, -3};
        double[] a = {1, 4, 0.25, 9};
        double[] b = {2, 1, 0.25, 0};
        double expected = 0;
        for (int t = 0; t < 4; t++) {
            double ds = Math.sqrt(a[t]) - Math.sqrt(b[t]);
            expected += ds * ds + (mu1[t] - mu2[t]) * (mu1[t] - mu2[t]);
        }
        FrechetDistance.Result r = FrechetDistance.of(new Gaussian(mu1, diag(a)), new Gaussian(mu2, diag(b)));
        assertThat(r.distance()).isCloseTo(expected, within(1e-12));
        assertThat(r.meanTerm()).isCloseTo(1 + 4 + 0 + 9, within(1e-15));
        assertThat(r.dimension()).isEqualTo(4);
    }

    @Test
    void twoByTwoCovariancesGiveTheClosedForm() {
        // For 2 × 2 PSD M: tr √M = √(tr M + 2√det M); M = Σ₁^½Σ₂Σ₁^½ has tr(Σ₁Σ₂) and detΣ₁·detΣ₂.
        double[] s1 = {2, 0.6, 0.6, 1};
        double[] s2 = {1, -0.3, -0.3, 0.5};
        double trProduct = s1[0] * s2[0] + s1[1] * s2[2] + s1[2] * s2[1] + s1[3] * s2[3];
        double det1 = s1[0] * s1[3] - s1[1] * s1[2];
        double det2 = s2[0] * s2[3] - s2[1] * s2[2];
        double traceRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
        double[] mu1 = {1, 2};
        double[] mu2 = {0, 0.5};
        double expected = 1 + 2.25 + (2 + 1) + (1 + 0.5) - 2 * traceRoot;
        FrechetDistance.Result r = FrechetDistance.of(new Gaussian(mu1, s1), new Gaussian(mu2, s2));
        assertThat(r.distance()).isCloseTo(expected, within(1e-12));
        // symmetric in its arguments
        assertThat(FrechetDistance.of(new Gaussian(mu2, s2), new Gaussian(mu1, s1)).distance())
                .isCloseTo(expected, within(1e-12));
    }

    @Test
    void aSetAgainstItselfIsZero() {
        Random rng = new Random(1);
        int n = 400, f = 12;
        float[] x = correlated(rng, n, f);
        FrechetDistance.Result r = FrechetDistance.compute(x, n, x, n, f);
        assertThat(r.distance()).isCloseTo(0, within(1e-9));
        assertThat(r.meanTerm()).isZero();
    }

    @Test
    void fewerSamplesThanFeaturesStillGiveZeroAgainstItself() {
        Random rng = new Random(2);
        int n = 5, f = 16; // rank-deficient covariance
        float[] x = GanMetricsTestData.gaussian(rng, n, f, 1, 0);
        assertThat(FrechetDistance.compute(x, n, x, n, f).distance()).isCloseTo(0, within(1e-9));
    }

    @Test
    void computeIsTheDistanceOfTheFittedGaussians() {
        Random rng = new Random(3);
        int f = 6;
        float[] a = correlated(rng, 300, f);
        float[] b = GanMetricsTestData.gaussian(rng, 200, f, 0.7, 0.3);
        FrechetDistance.Result direct = FrechetDistance.compute(a, 300, b, 200, f);
        FrechetDistance.Result viaMoments = FrechetDistance.of(Gaussian.fit(a, 300, f), Gaussian.fit(b, 200, f));
        assertThat(direct).isEqualTo(viaMoments);
        assertThat(direct.distance()).isPositive();
        assertThat(direct.distance()).isCloseTo(direct.meanTerm() + direct.traceTerm(), within(1e-12));
    }

    @Test
    void aRotationOfBothSetsChangesNothing() {
        Random rng = new Random(4);
        int f = 8, n = 500, m = 400;
        float[] a = correlated(rng, n, f);
        float[] b = GanMetricsTestData.gaussian(rng, m, f, 1.3, 0.2);
        double[] q = randomOrthogonal(rng, f);
        double before = FrechetDistance.compute(a, n, b, m, f).distance();
        double after = FrechetDistance.compute(rotate(a, n, f, q), n, rotate(b, m, f, q), m, f).distance();
        assertThat(before).isGreaterThan(0.5);
        assertThat(after).isCloseTo(before, within(1e-5 * before));
    }

    @Test
    void fitGivesTheSampleMeanAndUnbiasedCovariance() {
        float[] x = {1, 2, 3, 6, 5, 7};
        Gaussian g = Gaussian.fit(x, 3, 2);
        assertThat(g.mean()).containsExactly(3, 5);
        // dx = (−2, 0, 2), dy = (−3, 1, 2): Σ/(n − 1)
        assertThat(g.covariance()).containsExactly(4, 5, 5, 7);
    }

    @Test
    void squareRootSquaredIsTheMatrix() {
        Random rng = new Random(5);
        for (int[] shape : new int[][] {{20, 20}, {20, 5}, {128, 128}}) {
            int f = shape[0], r = shape[1];
            double[] a = gram(rng, f, r); // B·Bᵀ, rank r
            double[] s = SymmetricEigen.sqrtPsd(a, f);
            double[] s2 = multiply(s, s, f);
            double norm = frobenius(a);
            for (int i = 0; i < f * f; i++) {
                assertThat(s2[i]).as("f=%d rank=%d entry %d", f, r, i).isCloseTo(a[i], within(1e-10 * norm));
                assertThat(s[i]).isEqualTo(s[(i % f) * f + i / f]); // symmetric
            }
        }
    }

    @Test
    void eigendecompositionReconstructsTheMatrix() {
        Random rng = new Random(6);
        int f = 30;
        double[] a = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = i; j < f; j++) {
                a[i * f + j] = a[j * f + i] = rng.nextGaussian();
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, f);
        double[] v = e.vectors();
        double[] l = e.values();
        for (int i = 1; i < f; i++) {
            assertThat(l[i]).isGreaterThanOrEqualTo(l[i - 1]);
        }
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                double rec = 0;
                double dot = 0;
                for (int k = 0; k < f; k++) {
                    rec += v[i * f + k] * l[k] * v[j * f + k];
                    dot += v[k * f + i] * v[k * f + j];
                }
                assertThat(rec).isCloseTo(a[i * f + j], within(1e-12));
                assertThat(dot).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
        assertThat(SymmetricEigen.eigenvalues(a, f)).containsExactly(l, within(1e-12));
    }

    @Test
    void tridiagonalQlAgreesWithJacobi() {
        Random rng = new Random(7);
        for (int f : new int[] {1, 2, 3, 17, 40}) {
            double[] sym = new double[f * f];
            for (int i = 0; i < f; i++) {
                for (int j = i; j < f; j++) {
                    sym[i * f + j] = sym[j * f + i] = rng.nextGaussian();
                }
            }
            for (double[] a : new double[][] {sym, gram(rng, f, Math.max(1, f / 3)), diag(repeated(f))}) {
                double[] ql = SymmetricEigen.eigenvalues(a, f);
                double[] jacobi = SymmetricEigen.jacobi(a.clone(), f, null);
                java.util.Arrays.sort(jacobi);
                assertThat(ql).as("f=%d", f).containsExactly(jacobi, within(1e-12 * (1 + frobenius(a))));
            }
        }
        assertThat(SymmetricEigen.eigenvalues(new double[9], 3)).containsExactly(0, 0, 0);
        assertThat(SymmetricEigen.sqrtPsd(new double[] {4}, 1)).containsExactly(2);
    }

    private static double[] repeated(int f) {
        double[] d = new double[f];
        for (int i = 0; i < f; i++) {
            d[i] = i % 3; // eigenvalues 0, 1, 2 repeated
        }
        return d;
    }

    @Test
    void badInputsAreNamed() {
        float[] x = new float[12];
        assertThatThrownBy(() -> FrechetDistance.compute(x, 1, x, 1, 12))
                .isInstanceOf(BadInputException.class).hasMessageContaining("real features").hasMessageContaining("at least 2");
        assertThatThrownBy(() -> FrechetDistance.compute(x, 4, new float[10], 2, 3))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features hold 10 values");
        float[] nan = new float[12];
        nan[7] = Float.NaN;
        assertThatThrownBy(() -> FrechetDistance.compute(x, 4, nan, 4, 3))
                .isInstanceOf(BadInputException.class).hasMessageContaining("fake features").hasMessageContaining("row 2, column 1");
        assertThatThrownBy(() -> FrechetDistance.of(new Gaussian(new double[2], diag(new double[] {1, 1})),
                new Gaussian(new double[3], diag(new double[] {1, 1, 1}))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("dimension 2 and 3");
        assertThatThrownBy(() -> new Gaussian(new double[2], new double[] {1, 0.5, 0, 1}))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not symmetric");
        assertThatThrownBy(() -> new Gaussian(new double[2], new double[3]))
                .isInstanceOf(BadInputException.class).hasMessageContaining("expected 2 × 2");
        Gaussian notPsd = new Gaussian(new double[2], new double[] {1, 2, 2, 1}); // eigenvalues 3, −1
        Gaussian fine = new Gaussian(new double[2], diag(new double[] {1, 1}));
        assertThatThrownBy(() -> FrechetDistance.of(notPsd, fine))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not positive semi-definite");
        assertThatThrownBy(() -> FrechetDistance.of(fine, notPsd))
                .isInstanceOf(BadInputException.class).hasMessageContaining("second covariance");
    }

    // ---- helpers -----------------------------------------------------------------------------

    static double[] diag(double[] d) {
        int f = d.length;
        double[] m = new double[f * f];
        for (int i = 0; i < f; i++) {
            m[i * f + i] = d[i];
        }
        return m;
    }

    /** Rows z·L with z standard normal and a fixed lower-triangular L: correlated features. */
    static float[] correlated(Random rng, int n, int f) {
        double[] l = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j <= i; j++) {
                l[i * f + j] = i == j ? 1 + 0.1 * i : 0.5 * rng.nextGaussian();
            }
        }
        float[] x = new float[n * f];
        double[] z = new double[f];
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < f; t++) {
                z[t] = rng.nextGaussian();
            }
            for (int j = 0; j < f; j++) {
                double s = 0;
                for (int i = 0; i < f; i++) {
                    s += z[i] * l[i * f + j];
                }
                x[r * f + j] = (float) (s + 0.1 * j);
            }
        }
        return x;
    }

    static double[] gram(Random rng, int f, int r) {
        double[] b = new double[f * r];
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian();
        }
        double[] a = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += b[i * r + k] * b[j * r + k];
                }
                a[i * f + j] = s;
            }
        }
        return a;
    }

    static double[] multiply(double[] a, double[] b, int f) {
        double[] c = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int k = 0; k < f; k++) {
                for (int j = 0; j < f; j++) {
                    c[i * f + j] += a[i * f + k] * b[k * f + j];
                }
            }
        }
        return c;
    }

    static double frobenius(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Gram–Schmidt on a random Gaussian matrix: the rows of Q. */
    static double[] randomOrthogonal(Random rng, int f) {
        double[] q = new double[f * f];
        for (int i = 0; i < f; i++) {
            double[] v = new double[f];
            for (int t = 0; t < f; t++) {
                v[t] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int t = 0; t < f; t++) {
                        dot += v[t] * q[j * f + t];
                    }
                    for (int t = 0; t < f; t++) {
                        v[t] -= dot * q[j * f + t];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int t = 0; t < f; t++) {
                q[i * f + t] = v[t] / norm;
            }
        }
        return q;
    }

    static float[] rotate(float[] x, int n, int f, double[] q) {
        float[] y = new float[n * f];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < f; i++) {
                double s = 0;
                for (int t = 0; t < f; t++) {
                    s += q[i * f + t] * x[r * f + t];
                }
                y[r * f + i] = (float) s;
            }
        }
        return y;
    }
}
