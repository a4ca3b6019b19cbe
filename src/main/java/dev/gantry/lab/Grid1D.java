package dev.gantry.lab;

/**
 * {@code n} equally spaced points from {@code lo} to {@code hi}, both included, with the
 * trapezoid rule on them.
 *
 * @param lo the first point
 * @param hi the last point, greater than {@code lo}
 * @param n the number of points, at least 2
 */
public record Grid1D(double lo, double hi, int n) {

    public Grid1D {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && hi > lo)) {
            throw new IllegalArgumentException("grid needs finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        if (n < 2) {
            throw new IllegalArgumentException("grid needs at least 2 points, got " + n);
        }
    }

    /** The spacing between neighbouring points. */
    public double step() {
        return (hi - lo) / (n - 1);
    }

    /** Point {@code i}. */
    public double x(int i) {
        return i == n - 1 ? hi : lo + i * step();
    }

    /** All points. */
    public double[] xs() {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x(i);
        }
        return xs;
    }

    /** The points as floats, for a network's input. */
    public float[] xsFloat() {
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) x(i);
        }
        return xs;
    }

    /** ∫ f dx over [lo, hi] by the trapezoid rule, from f's values at the points. */
    public double trapezoid(double[] f) {
        if (f.length != n) {
            throw new IllegalArgumentException("expected " + n + " values, got " + f.length);
        }
        double sum = 0.5 * (f[0] + f[n - 1]);
        for (int i = 1; i < n - 1; i++) {
            sum += f[i];
        }
        return sum * step();
    }

    /** Evaluates {@code f} at every point. */
    public double[] map(java.util.function.DoubleUnaryOperator f) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(x(i));
        }
        return v;
    }
}
