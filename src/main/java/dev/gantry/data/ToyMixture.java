package dev.gantry.data;

import dev.gantry.BadInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An equally weighted mixture of isotropic two-dimensional Gaussians, the synthetic mode-collapse
 * benchmarks of Lin et al. (2018), "PacGAN: The power of two samples in generative adversarial
 * networks" (protocols.md §4).
 *
 * <p>The two named mixtures follow the authors' configurations ({@code config.py} of
 * {@code 2DRing_GAN&PacGAN} and {@code 2DGrid_GAN&PacGAN} in fjxmlzn/PacGAN), in the same mode
 * order:
 * <ul>
 *   <li>{@code ring8}: 8 modes at (cos 2πi/8, sin 2πi/8), i = 0..7, standard deviation 0.01;
 *   <li>{@code grid25}: 25 modes at {−4, −2, 0, 2, 4}², enumerated as
 *       {@code itertools.product(range(-4, 5, 2), range(-4, 5, 2))} (x outer, y inner),
 *       standard deviation 0.05.
 * </ul>
 * A sample picks a mode uniformly and adds two independent normal deviates (Box–Muller on a
 * {@link SplittableRandom}, see {@link Gaussian1D}) scaled by the standard deviation.
 */
public final class ToyMixture {

    /** 8 modes on the unit circle, std 0.01. */
    public static final ToyMixture RING8 = ring("ring8", 8, 1.0, 0.01);
    /** 25 modes on the grid {−4, −2, 0, 2, 4}², std 0.05. */
    public static final ToyMixture GRID25 = grid("grid25", 5, 2.0, 0.05);

    private static final List<ToyMixture> NAMED = List.of(RING8, GRID25);

    private final String name;
    private final double[][] means;
    private final double std;

    private ToyMixture(String name, double[][] means, double std) {
        this.name = name;
        this.means = means;
        this.std = std;
    }

    /**
     * A mixture of your own: equally weighted isotropic Gaussians at {@code means} ({@code [K][2]}).
     *
     * @throws IllegalArgumentException if there are no means, a mean is not a finite 2D point, or
     *     {@code std} is not positive and finite
     */
    public static ToyMixture of(String name, double[][] means, double std) {
        Objects.requireNonNull(name, "name");
        if (means.length == 0) {
            throw new IllegalArgumentException("a mixture needs at least one mode");
        }
        double[][] copy = new double[means.length][];
        for (int k = 0; k < means.length; k++) {
            if (means[k].length != 2 || !Double.isFinite(means[k][0]) || !Double.isFinite(means[k][1])) {
                throw new IllegalArgumentException("mean " + k + " must be a finite 2D point, got "
                        + Arrays.toString(means[k]));
            }
            copy[k] = means[k].clone();
        }
        if (!(std > 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("std must be positive and finite, got " + std);
        }
        return new ToyMixture(name, copy, std);
    }

    /**
     * The named mixture of the PacGAN protocol.
     *
     * @throws BadInputException naming the valid names if {@code name} is not one of them
     */
    public static ToyMixture named(String name) {
        for (ToyMixture m : NAMED) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        throw new BadInputException("unknown mixture '" + name + "'; expected one of " + String.join(", ", names()));
    }

    /** The names {@link #named} accepts: {@code ring8}, {@code grid25}. */
    public static List<String> names() {
        return NAMED.stream().map(ToyMixture::name).toList();
    }

    private static ToyMixture ring(String name, int k, double radius, double std) {
        double[][] means = new double[k][];
        for (int i = 0; i < k; i++) {
            double angle = 2 * Math.PI * i / k;
            means[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
        }
        return new ToyMixture(name, means, std);
    }

    private static ToyMixture grid(String name, int side, double spacing, double std) {
        double[][] means = new double[side * side][];
        double start = -spacing * (side - 1) / 2;
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                means[i * side + j] = new double[] {start + spacing * i, start + spacing * j};
            }
        }
        return new ToyMixture(name, means, std);
    }

    public String name() {
        return name;
    }

    /** The number of modes K. */
    public int modes() {
        return means.length;
    }

    /** The mode means, {@code [K][2]}, a copy. */
    public double[][] means() {
        double[][] copy = new double[means.length][];
        for (int k = 0; k < means.length; k++) {
            copy[k] = means[k].clone();
        }
        return copy;
    }

    /** Coordinate {@code axis} (0 = x, 1 = y) of mode {@code k}'s mean. */
    public double mean(int k, int axis) {
        return means[k][axis];
    }

    /** The standard deviation of every mode, in each coordinate. */
    public double std() {
        return std;
    }

    /**
     * Draws {@code n} points, row-major {@code [n, 2]} (x, y, x, y, …), deterministic for a given
     * seed.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public float[] sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[2];
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] mu = means[rng.nextInt(means.length)];
            Gaussian1D.standardNormalPair(rng, z);
            out[2 * i] = (float) (mu[0] + std * z[0]);
            out[2 * i + 1] = (float) (mu[1] + std * z[1]);
        }
        return out;
    }

    /** The mixture density at (x, y): (1/K) Σₖ exp(−‖(x, y) − μₖ‖² / 2σ²) / (2πσ²). */
    public double density(double x, double y) {
        double inv2var = 1.0 / (2 * std * std);
        double sum = 0;
        for (double[] mu : means) {
            double dx = x - mu[0];
            double dy = y - mu[1];
            sum += Math.exp(-(dx * dx + dy * dy) * inv2var);
        }
        return sum / (means.length * 2 * Math.PI * std * std);
    }

    @Override
    public String toString() {
        return name + " (" + means.length + " modes, std " + std + ")";
    }
}
