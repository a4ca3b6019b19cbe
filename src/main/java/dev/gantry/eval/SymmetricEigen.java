package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Eigendecomposition A = V·diag(λ)·Vᵀ of a real symmetric matrix, in double: Householder
 * reduction to tridiagonal form and the implicit QL algorithm with Wilkinson-type shifts, the
 * EISPACK routines {@code tred2} and {@code tql2} (Bowdler, Martin, Reinsch and Wilkinson, Numer.
 * Math. 11, 1968; as in JAMA's {@code EigenvalueDecomposition}). About 9f³ flops with vectors and
 * 3f³ without, so f = 512 takes a second or two; the eigenvalues carry an absolute error of a few
 * f·ε·‖A‖. {@link #jacobi}, the cyclic Jacobi method (slower, 10–15 sweeps of 3f³), is kept as an
 * independent check. It is what {@link FrechetDistance} needs for its matrix square roots.
 *
 * @param dimension f, the matrix is f × f
 * @param values the eigenvalues λ, ascending
 * @param vectors row-major [f, f]; column i is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(int dimension, double[] values, double[] vectors) {

    /** Relative asymmetry |a_ij − a_ji| / max|a| accepted (and symmetrised away) on input. */
    public static final double SYMMETRY_TOLERANCE = 1e-9;
    /** A PSD matrix may have eigenvalues down to −this × its largest |λ| (rounding); they count as 0. */
    public static final double PSD_TOLERANCE = 1e-8;
    /** Eigenvalues up to this × f·ε·max|λ| are rounding noise and count as 0 in square roots. */
    public static final double NOISE_FACTOR = 10;
    private static final int MAX_SWEEPS = 100;
    private static final double EPS = Math.ulp(1.0);

    public SymmetricEigen {
        values = values.clone();
        vectors = vectors.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] vectors() {
        return vectors.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetricEigen e && dimension == e.dimension && Arrays.equals(values, e.values)
                && Arrays.equals(vectors, e.vectors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dimension + Arrays.hashCode(values)) + Arrays.hashCode(vectors);
    }

    @Override
    public String toString() {
        return "SymmetricEigen[dimension=" + dimension + ", values=" + Arrays.toString(values) + "]";
    }

    /**
     * Decomposes the symmetric row-major [f, f] {@code matrix}.
     *
     * @throws BadInputException if the matrix is not f × f, holds a non-finite value or is not
     *     symmetric within {@link #SYMMETRY_TOLERANCE}
     */
    public static SymmetricEigen of(double[] matrix, int f) {
        double[] v = symmetricCopy("matrix", matrix, f);
        double[] lambda = new double[f];
        tridiagonalQl(v, f, lambda, true);
        Integer[] order = new Integer[f];
        for (int i = 0; i < f; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(lambda[x], lambda[y]));
        double[] sortedValues = new double[f];
        double[] sortedVectors = new double[f * f];
        for (int c = 0; c < f; c++) {
            int from = order[c];
            sortedValues[c] = lambda[from];
            for (int r = 0; r < f; r++) {
                sortedVectors[r * f + c] = v[r * f + from];
            }
        }
        return new SymmetricEigen(f, sortedValues, sortedVectors);
    }

    /** The eigenvalues of the symmetric row-major [f, f] {@code matrix}, ascending (no vectors). */
    public static double[] eigenvalues(double[] matrix, int f) {
        double[] lambda = new double[f];
        tridiagonalQl(symmetricCopy("matrix", matrix, f), f, lambda, false);
        Arrays.sort(lambda);
        return lambda;
    }

    /**
     * The principal square root S = V·diag(√λ)·Vᵀ of a symmetric positive semi-definite matrix
     * (S symmetric PSD, S·S = A); eigenvalues down to −{@link #PSD_TOLERANCE}·max|λ| are rounding
     * and, like those within the rounding noise above 0, are clamped to 0.
     *
     * @throws BadInputException if the matrix is not symmetric or has a clearly negative eigenvalue
     */
    public static double[] sqrtPsd(double[] matrix, int f) {
        return of(matrix, f).sqrtPsd("matrix");
    }

    /**
     * The principal square root V·diag(√max(λ, 0))·Vᵀ of the decomposed matrix, which must be
     * positive semi-definite within {@link #PSD_TOLERANCE}.
     *
     * @param what names the matrix in the error message
     * @throws BadInputException if an eigenvalue is clearly negative
     */
    public double[] sqrtPsd(String what) {
        int f = dimension;
        double[] root = clampedRoots(what, values);
        double[] v = vectors;
        double[] s = new double[f * f];
        double[] scaled = new double[f];
        for (int i = 0; i < f; i++) {
            for (int k = 0; k < f; k++) {
                scaled[k] = v[i * f + k] * root[k];
            }
            for (int j = i; j < f; j++) {
                double sum = 0;
                for (int k = 0; k < f; k++) {
                    sum += scaled[k] * v[j * f + k];
                }
                s[i * f + j] = sum;
                s[j * f + i] = sum;
            }
        }
        return s;
    }

    /**
     * √λ of each eigenvalue, after checking none is clearly negative; eigenvalues at or below the
     * rounding noise of the decomposition, {@link #NOISE_FACTOR}·f·ε·max|λ|, count as 0 (their
     * computed values are noise, and √noise would be a much larger error: a rank-deficient
     * covariance would otherwise give a Fréchet distance of a set to itself of −1e-7·tr Σ).
     */
    static double[] clampedRoots(String what, double[] lambda) {
        double max = 0;
        for (double l : lambda) {
            max = Math.max(max, Math.abs(l));
        }
        double noise = NOISE_FACTOR * lambda.length * EPS * max;
        double[] root = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            if (lambda[i] < -PSD_TOLERANCE * max) {
                throw new BadInputException(what + " is not positive semi-definite: eigenvalue " + lambda[i]
                        + " (largest |λ| " + max + "); expected a covariance matrix");
            }
            root[i] = lambda[i] <= noise ? 0.0 : Math.sqrt(lambda[i]);
        }
        return root;
    }

    /**
     * Checks that a symmetric matrix is positive semi-definite within the tolerance of
     * {@link #clampedRoots}, without an eigendecomposition: a Cholesky factorisation of
     * A + δ·I, δ = {@link #PSD_TOLERANCE}·tr A, succeeds exactly when λ_min(A) &gt; −δ (up to
     * rounding), in f³/6 multiply-adds.
     *
     * @throws BadInputException if a pivot is not positive (or the trace is negative)
     */
    static void requirePsd(String what, double[] a, int f) {
        double trace = 0;
        for (int i = 0; i < f; i++) {
            trace += a[i * f + i];
        }
        if (trace < 0) {
            throw new BadInputException(what + " is not positive semi-definite: trace " + trace
                    + "; expected a covariance matrix");
        }
        double delta = PSD_TOLERANCE * trace + Double.MIN_NORMAL;
        double[] l = new double[f * f];
        for (int j = 0; j < f; j++) {
            double d = a[j * f + j] + delta;
            for (int k = 0; k < j; k++) {
                d -= l[j * f + k] * l[j * f + k];
            }
            if (!(d > 0)) {
                throw new BadInputException(what + " is not positive semi-definite (Cholesky pivot " + j + " is " + d
                        + " after adding " + delta + " to the diagonal); expected a covariance matrix");
            }
            double root = Math.sqrt(d);
            l[j * f + j] = root;
            for (int i = j + 1; i < f; i++) {
                double sum = a[i * f + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * f + k] * l[j * f + k];
                }
                l[i * f + j] = sum / root;
            }
        }
    }

    /** A symmetrised copy ((a + aᵀ)/2) of a checked f × f matrix. */
    static double[] symmetricCopy(String what, double[] matrix, int f) {
        if (matrix == null) {
            throw new BadInputException(what + " is missing (null); expected a row-major [f, f] matrix");
        }
        if (f < 1 || (long) f * f != matrix.length) {
            throw new BadInputException(what + " holds " + matrix.length + " values; expected " + f + " × " + f);
        }
        double max = 0;
        for (int i = 0; i < matrix.length; i++) {
            if (!Double.isFinite(matrix[i])) {
                throw new BadInputException(what + " holds a non-finite value (" + matrix[i] + ") at row "
                        + i / f + ", column " + i % f + "; expected finite numbers");
            }
            max = Math.max(max, Math.abs(matrix[i]));
        }
        double[] a = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = i; j < f; j++) {
                double x = matrix[i * f + j];
                double y = matrix[j * f + i];
                if (Math.abs(x - y) > SYMMETRY_TOLERANCE * max) {
                    throw new BadInputException(what + " is not symmetric: [" + i + "," + j + "] = " + x + " but ["
                            + j + "," + i + "] = " + y + "; expected a symmetric matrix");
                }
                double m = 0.5 * (x + y);
                a[i * f + j] = m;
                a[j * f + i] = m;
            }
        }
        return a;
    }

    /**
     * tred2 then tql2 on {@code v}, a symmetric matrix on entry and the eigenvectors (columns) on
     * exit when {@code vectors}; {@code d} receives the eigenvalues, unsorted.
     */
    static void tridiagonalQl(double[] v, int n, double[] d, boolean vectors) {
        double[] e = new double[n];
        // ---- tred2: Householder reduction to tridiagonal form, accumulating the transformations
        for (int j = 0; j < n; j++) {
            d[j] = v[(n - 1) * n + j];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            double h = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                    v[j * n + i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j * n + i] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k * n + j] * d[k];
                        e[k] += v[k * n + j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k * n + j] -= f * e[k] + g * d[k];
                    }
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {
            v[(n - 1) * n + i] = v[i * n + i];
            v[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k * n + i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k * n + i + 1] * v[k * n + j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k * n + j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k * n + i + 1] = 0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[(n - 1) * n + j];
            v[(n - 1) * n + j] = 0;
        }
        v[(n - 1) * n + n - 1] = 1;
        e[0] = 0;

        // ---- tql2: implicit QL on the tridiagonal (d, e), rotations applied to v
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        double f = 0;
        double tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= EPS * tst1) {
                    break;
                }
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 30 * n + 100) {
                        throw new IllegalStateException("tql2 did not converge for eigenvalue " + l);
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (vectors) {
                            for (int k = 0; k < n; k++) {
                                int row = k * n;
                                h = v[row + i + 1];
                                v[row + i + 1] = s * v[row + i] + c * h;
                                v[row + i] = c * v[row + i] - s * h;
                            }
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /** √(a² + b²) without overflow, faster than {@link Math#hypot}. */
    private static double hypot(double a, double b) {
        double x = Math.abs(a);
        double y = Math.abs(b);
        if (x < y) {
            double t = x;
            x = y;
            y = t;
        }
        if (x == 0) {
            return 0;
        }
        double r = y / x;
        return x * Math.sqrt(1 + r * r);
    }

    /**
     * Cyclic Jacobi (Golub and Van Loan, "Matrix Computations", §8.5; the rotation of Numerical
     * Recipes' {@code jacobi}) on the symmetric {@code a} (overwritten): sweeps over every pair
     * (p, q) annihilating a<sub>pq</sub> with one plane rotation, an element counting as zero when
     * |a<sub>pq</sub>| ≤ ε·√|a<sub>pp</sub>·a<sub>qq</sub>| / 2 or ≤ 10⁻²⁰·‖A‖<sub>F</sub>, until a
     * sweep has nothing left to rotate. Accumulates the rotations into {@code v} (identity on
     * entry) when not null; returns the diagonal, unsorted. An independent check of
     * {@link #tridiagonalQl}.
     */
    static double[] jacobi(double[] a, int f, double[] v) {
        Objects.requireNonNull(a, "a");
        double frob = 0;
        for (double x : a) {
            frob += x * x;
        }
        frob = Math.sqrt(frob);
        double floor = 1e-20 * frob;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < f - 1; p++) {
                for (int q = p + 1; q < f; q++) {
                    double apq = a[p * f + q];
                    double app = a[p * f + p];
                    double aqq = a[q * f + q];
                    if (Math.abs(apq) <= floor || Math.abs(apq) <= 0.5 * EPS * Math.sqrt(Math.abs(app * aqq))) {
                        a[p * f + q] = 0;
                        a[q * f + p] = 0;
                        continue;
                    }
                    rotated = true;
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.abs(theta) > 1e150
                            ? 0.5 / theta
                            : Math.copySign(1.0, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    a[p * f + p] = app - t * apq;
                    a[q * f + q] = aqq + t * apq;
                    a[p * f + q] = 0;
                    a[q * f + p] = 0;
                    for (int k = 0; k < f; k++) {
                        if (k == p || k == q) {
                            continue;
                        }
                        double akp = a[k * f + p];
                        double akq = a[k * f + q];
                        double np = c * akp - s * akq;
                        double nq = s * akp + c * akq;
                        a[k * f + p] = np;
                        a[p * f + k] = np;
                        a[k * f + q] = nq;
                        a[q * f + k] = nq;
                    }
                    if (v != null) {
                        for (int k = 0; k < f; k++) {
                            double vkp = v[k * f + p];
                            double vkq = v[k * f + q];
                            v[k * f + p] = c * vkp - s * vkq;
                            v[k * f + q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] diag = new double[f];
        for (int i = 0; i < f; i++) {
            diag[i] = a[i * f + i];
        }
        return diag;
    }
}
