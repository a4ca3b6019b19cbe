package dev.gantry.lab;

import dev.gantry.data.Gaussian1D;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A one-dimensional distribution known in closed form: density, distribution function and
 * samples. The lab's experiments need all three: samples to train on, the density for D* and the
 * divergences, the distribution function for the Wasserstein distance and for exact bin masses.
 */
public interface Density1D {

    double pdf(double x);

    double cdf(double x);

    /** {@code n} samples, deterministic for a given seed. */
    float[] sample(int n, long seed);

    /** Mean and standard deviation, for choosing a grid that covers the distribution. */
    double mean();

    double std();

    /** A short description, e.g. {@code N(0, 1)}. */
    String describe();

    /** The normal distribution N(mean, std²). */
    static Density1D normal(double mean, double std) {
        Gaussian1D g = new Gaussian1D(mean, std);
        return new Density1D() {
            @Override public double pdf(double x) { return g.pdf(x); }
            @Override public double cdf(double x) { return g.cdf(x); }
            @Override public float[] sample(int n, long seed) { return g.sample(n, seed); }
            @Override public double mean() { return mean; }
            @Override public double std() { return std; }
            @Override public String describe() { return "N(" + fmt(mean) + ", " + fmt(std) + "²)"; }
        };
    }

    /** The uniform distribution on [lo, hi]. */
    static Density1D uniform(double lo, double hi) {
        if (!(hi > lo)) {
            throw new IllegalArgumentException("uniform needs lo < hi, got [" + lo + ", " + hi + "]");
        }
        double w = hi - lo;
        return new Density1D() {
            @Override public double pdf(double x) { return x >= lo && x <= hi ? 1 / w : 0; }
            @Override public double cdf(double x) { return x <= lo ? 0 : x >= hi ? 1 : (x - lo) / w; }
            @Override public float[] sample(int n, long seed) {
                SplittableRandom rng = new SplittableRandom(seed);
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) (lo + w * rng.nextDouble());
                }
                return out;
            }
            @Override public double mean() { return (lo + hi) / 2; }
            @Override public double std() { return w / Math.sqrt(12); }
            @Override public String describe() { return "U(" + fmt(lo) + ", " + fmt(hi) + ")"; }
        };
    }

    /** The equally weighted mixture of {@code parts}. */
    static Density1D mixture(List<Density1D> parts) {
        List<Density1D> ps = List.copyOf(parts);
        if (ps.isEmpty()) {
            throw new IllegalArgumentException("a mixture needs at least one part");
        }
        int k = ps.size();
        double mean = ps.stream().mapToDouble(Density1D::mean).average().orElseThrow();
        double second = ps.stream().mapToDouble(p -> p.std() * p.std() + p.mean() * p.mean()).average().orElseThrow();
        double std = Math.sqrt(Math.max(0, second - mean * mean));
        return new Density1D() {
            @Override public double pdf(double x) { return ps.stream().mapToDouble(p -> p.pdf(x)).sum() / k; }
            @Override public double cdf(double x) { return ps.stream().mapToDouble(p -> p.cdf(x)).sum() / k; }
            @Override public float[] sample(int n, long seed) {
                SplittableRandom rng = new SplittableRandom(seed);
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = ps.get(rng.nextInt(k)).sample(1, rng.nextLong())[0];
                }
                return out;
            }
            @Override public double mean() { return mean; }
            @Override public double std() { return std; }
            @Override public String describe() {
                String w = k == 2 ? "½·" : "(1/" + k + ")·";
                return w + String.join(" + " + w, ps.stream().map(Density1D::describe).toList());
            }
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
