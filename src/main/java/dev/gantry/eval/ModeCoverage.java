package dev.gantry.eval;

import dev.gantry.BadInputException;
import dev.gantry.data.ToyMixture;
import dev.gantry.data.format.Npy;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mode coverage of 2D samples against a Gaussian mixture: modes captured, fraction of
 * high-quality samples and reverse KL of the mode histogram, the metrics of Lin et al. (2018),
 * "PacGAN: The power of two samples in generative adversarial networks", Table 1
 * (protocols.md §4).
 *
 * <p>Matches {@code MetricLogger} in {@code synthetic_data_experiments/PacGAN/pacgan/extensions.py}
 * of the authors' repository fjxmlzn/PacGAN:
 * <ul>
 *   <li>each sample is assigned to its nearest mode in standard-deviation units,
 *       √(Σ (x − μₖ)² / σ²); every mode has the same σ, so this is the Euclidean nearest mean;
 *       ties go to the lower mode index, as the reference's strict {@code <} does;
 *   <li>a sample is <em>high quality</em> (HQ) if that distance is below 3 (the reference's
 *       {@code dis_thre = 3}), i.e. it lies within 3σ of its nearest mean. Gantry compares the
 *       squared distance with 9σ², which is the same test without the square root. A sample from
 *       the mixture itself is HQ with probability 1 − e^{−9/2} ≈ 0.98889 (the χ² law with two
 *       degrees of freedom), the "≈98.9%" of a perfect sampler;
 *   <li>only HQ samples enter the histogram over modes ({@code detail_of_coverage}); a mode is
 *       captured if its count is positive; the HQ fraction is the histogram's total over all
 *       samples.
 * </ul>
 *
 * <p>Reverse KL. The synthetic-data code logs the entropy H(q) of the normalised HQ histogram q
 * and the JSD to uniform, not a KL; the paper's Table 1 reports a "reverse KL". The authors'
 * stacked-MNIST code ({@code stacked_MNIST_experiments/.../model.py}, {@code JSD.KLD(p, q)})
 * computes it as KL(q ‖ u) = Σ_{k: qₖ > 0} qₖ log(qₖ / uₖ) with u uniform over the K modes and
 * the sum over the modes the samples hit. Gantry implements exactly that, with natural logarithms,
 * on the HQ histogram of the synthetic code: KL(q ‖ u) = log K − H(q), so it is the same number
 * the synthetic logger's entropy gives. "Reverse" because the generator's distribution comes
 * first. It is 0 for a perfectly balanced histogram and log K when every HQ sample sits on one
 * mode; modes the generator misses add nothing (0·log 0 = 0), so the KL alone does not show them —
 * read it beside {@code modesCaptured}. With no HQ sample at all q is undefined and the KL is NaN.
 */
public final class ModeCoverage {

    /** A sample is high quality if it lies within this many standard deviations of a mean. */
    public static final double THRESHOLD_STDS = 3.0;
    /** The number of samples the protocol evaluates. */
    public static final int PROTOCOL_SAMPLES = 2500;

    private final ToyMixture mixture;

    /**
     * The metrics of one set of samples.
     *
     * @param modes K, the number of modes of the mixture
     * @param modesCaptured modes with at least one HQ sample nearest to them
     * @param highQualityFraction HQ samples over all samples, in [0, 1]
     * @param reverseKl KL(q ‖ uniform) of the HQ histogram in nats, summed over modes with q &gt; 0;
     *     NaN when there is no HQ sample
     * @param histogram HQ samples per mode, in the mixture's mode order
     * @param samples the number of samples evaluated
     */
    public record Result(int modes, int modesCaptured, double highQualityFraction, double reverseKl,
            int[] histogram, int samples) {

        public Result {
            histogram = histogram.clone();
        }

        @Override
        public int[] histogram() {
            return histogram.clone();
        }

        /** HQ samples in all. */
        public int highQualitySamples() {
            return Arrays.stream(histogram).sum();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && modes == r.modes && modesCaptured == r.modesCaptured
                    && Double.compare(highQualityFraction, r.highQualityFraction) == 0
                    && Double.compare(reverseKl, r.reverseKl) == 0
                    && Arrays.equals(histogram, r.histogram) && samples == r.samples;
        }

        @Override
        public int hashCode() {
            return Objects.hash(modes, modesCaptured, highQualityFraction, reverseKl,
                    Arrays.hashCode(histogram), samples);
        }

        @Override
        public String toString() {
            return "Result[modes=" + modes + ", modesCaptured=" + modesCaptured
                    + ", highQualityFraction=" + highQualityFraction + ", reverseKl=" + reverseKl
                    + ", histogram=" + Arrays.toString(histogram) + ", samples=" + samples + "]";
        }
    }

    public ModeCoverage(ToyMixture mixture) {
        this.mixture = Objects.requireNonNull(mixture, "mixture");
    }

    public ToyMixture mixture() {
        return mixture;
    }

    /** Evaluates the rows of {@code samples}, as {@link #evaluate(float[], int, int)}. */
    public Result evaluate(Npy.Matrix samples) {
        return evaluate(samples.data(), samples.rows(), samples.cols());
    }

    /**
     * Evaluates {@code rows} samples stored row-major in {@code samples}, {@code cols} values per
     * row.
     *
     * @throws BadInputException if {@code cols} is not 2, there are no rows, or a row holds NaN or
     *     an infinity (the message names the row)
     * @throws IllegalArgumentException if {@code samples.length != rows * cols}
     */
    public Result evaluate(float[] samples, int rows, int cols) {
        if (cols != 2) {
            throw new BadInputException("samples have shape (" + rows + ", " + cols + "); expected 2D points,"
                    + " shape (N, 2), for the mixture " + mixture.name());
        }
        if ((long) rows * cols != samples.length) {
            throw new IllegalArgumentException("samples has " + samples.length + " values, but rows*cols = "
                    + rows + "*" + cols);
        }
        if (rows < 1) {
            throw new BadInputException("no samples (shape (0, 2)); expected at least 1");
        }
        for (int i = 0; i < rows; i++) {
            float x = samples[2 * i];
            float y = samples[2 * i + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                throw new BadInputException("sample row " + i + " is (" + x + ", " + y
                        + "); expected finite coordinates");
            }
        }
        int k = mixture.modes();
        double[] mx = new double[k];
        double[] my = new double[k];
        for (int m = 0; m < k; m++) {
            mx[m] = mixture.mean(m, 0);
            my[m] = mixture.mean(m, 1);
        }
        double std = mixture.std();
        double limit = THRESHOLD_STDS * THRESHOLD_STDS;
        int[] histogram = new int[k];
        for (int i = 0; i < rows; i++) {
            double x = samples[2 * i];
            double y = samples[2 * i + 1];
            double best = Double.POSITIVE_INFINITY;
            int nearest = -1;
            for (int m = 0; m < k; m++) {
                double dx = (x - mx[m]) / std;
                double dy = (y - my[m]) / std;
                double d2 = dx * dx + dy * dy;
                if (d2 < best) {
                    best = d2;
                    nearest = m;
                }
            }
            if (best < limit) {
                histogram[nearest]++;
            }
        }
        int captured = 0;
        int hq = 0;
        for (int c : histogram) {
            captured += c > 0 ? 1 : 0;
            hq += c;
        }
        return new Result(k, captured, (double) hq / rows, reverseKl(histogram), histogram, rows);
    }

    /**
     * KL(q ‖ u) in nats, where q is {@code histogram} normalised and u is uniform over its
     * entries, summed over the entries with q &gt; 0; NaN if the histogram is empty.
     *
     * @throws IllegalArgumentException if a count is negative or there are no entries
     */
    public static double reverseKl(int[] histogram) {
        if (histogram.length == 0) {
            throw new IllegalArgumentException("histogram has no modes");
        }
        long total = 0;
        for (int c : histogram) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count in " + Arrays.toString(histogram));
            }
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double k = histogram.length;
        double kl = 0;
        for (int c : histogram) {
            if (c > 0) {
                double q = (double) c / total;
                kl += q * Math.log(q * k);
            }
        }
        // Rounding can leave a balanced histogram a hair below 0; KL is never negative.
        return Math.max(0.0, kl);
    }
}
