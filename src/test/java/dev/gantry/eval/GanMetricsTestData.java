package dev.gantry.eval;

import java.util.Random;

/** Random feature matrices and brute-force double references for the GAN metric tests. */
final class GanMetricsTestData {

    private GanMetricsTestData() {}

    /** [n, f] standard normal times {@code scale} plus {@code shift}, row-major. */
    static float[] gaussian(Random rng, int n, int f, double scale, double shift) {
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (shift + scale * rng.nextGaussian());
        }
        return x;
    }

    /** Squared Euclidean distance of row i of a and row j of b, in double. */
    static double sq(float[] a, int i, float[] b, int j, int f) {
        double s = 0;
        for (int t = 0; t < f; t++) {
            double d = (double) a[i * f + t] - b[j * f + t];
            s += d * d;
        }
        return s;
    }

    /** Squared distance of every row of x to its k-th nearest other row, by sorting. */
    static double[] kthRadii(float[] x, int n, int f, int k) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double[] d = new double[n - 1];
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    d[c++] = sq(x, i, x, j, f);
                }
            }
            java.util.Arrays.sort(d);
            r[i] = d[k - 1];
        }
        return r;
    }
}
