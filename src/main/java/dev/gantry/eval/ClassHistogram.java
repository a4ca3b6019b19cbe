package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mode statistics of generated samples from a classifier's class probabilities [n, k]: which
 * classes the generator produces, and how evenly. The class-level form of the mode counts of
 * PacGAN (Lin, Khetan, Fanti and Oh, NeurIPS 2018) and of the mode-regularised GAN (Che et al.,
 * ICLR 2017), with {@link ModeCoverage}'s reverse KL:
 * <ul>
 *   <li>a sample is <em>confident</em> when its largest probability is at least
 *       {@code confidence} (default 0.9), compared in float32 ({@code p >= (float) confidence}, as
 *       numpy compares a float32 array with a Python float), and is then counted for its argmax
 *       class (ties to the lower index, as {@code numpy.argmax});</li>
 *   <li>a class is <em>covered</em> when at least 1 % of all n samples are confidently assigned to
 *       it: 100·count ≥ n, in integers;</li>
 *   <li>the KL is KL(q ‖ u) in nats of the histogram q of the confident samples against the
 *       uniform u over the k classes, Σ_{c: q_c &gt; 0} q_c log(k·q_c)
 *       ({@link ModeCoverage#reverseKl}); NaN when no sample is confident.</li>
 * </ul>
 */
public final class ClassHistogram {

    /** Default confidence threshold on the largest class probability. */
    public static final double DEFAULT_CONFIDENCE = 0.9;
    /** A class is covered when it holds at least this fraction of all samples (confidently). */
    public static final double COVERED_FRACTION = 0.01;

    private ClassHistogram() {}

    /**
     * One histogram.
     *
     * @param counts confident samples per class, length k
     * @param confident confident samples in all
     * @param confidentFraction confident / samples
     * @param classesCovered classes with 100·count ≥ samples
     * @param klToUniform KL(q ‖ uniform over k) of the confident histogram, nats; NaN if none
     * @param samples n
     * @param confidence the threshold used
     */
    public record Result(int[] counts, int confident, double confidentFraction, int classesCovered,
            double klToUniform, int samples, double confidence) {

        public Result {
            counts = counts.clone();
        }

        @Override
        public int[] counts() {
            return counts.clone();
        }

        public int classes() {
            return counts.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(counts, r.counts) && confident == r.confident
                    && Double.compare(confidentFraction, r.confidentFraction) == 0
                    && classesCovered == r.classesCovered && Double.compare(klToUniform, r.klToUniform) == 0
                    && samples == r.samples && Double.compare(confidence, r.confidence) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(counts), confident, confidentFraction, classesCovered, klToUniform,
                    samples, confidence);
        }

        @Override
        public String toString() {
            return "Result[counts=" + Arrays.toString(counts) + ", confident=" + confident + ", confidentFraction="
                    + confidentFraction + ", classesCovered=" + classesCovered + ", klToUniform=" + klToUniform
                    + ", samples=" + samples + ", confidence=" + confidence + "]";
        }
    }

    /** The histogram at confidence 0.9. */
    public static Result compute(float[] probabilities, int n, int k) {
        return compute(probabilities, n, k, DEFAULT_CONFIDENCE);
    }

    /**
     * The histogram of {@code probabilities} [n, k].
     *
     * @param confidence threshold in [0, 1] on the largest probability
     * @throws BadInputException if the matrix has the wrong size or no rows, a value lies outside
     *     [0, 1], a row does not sum to 1 within 1e-3, or confidence is outside [0, 1]
     */
    public static Result compute(float[] probabilities, int n, int k, double confidence) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new BadInputException("confidence threshold " + confidence + "; expected a probability in [0, 1]");
        }
        FeatureInputs.requireProbabilities("class probabilities", probabilities, n, k, 1, null);
        float threshold = (float) confidence;
        int[] counts = new int[k];
        int confident = 0;
        for (int i = 0; i < n; i++) {
            int best = argmax(probabilities, i * k, k);
            if (probabilities[i * k + best] >= threshold) {
                counts[best]++;
                confident++;
            }
        }
        int covered = 0;
        for (int c : counts) {
            if (100L * c >= n && c > 0) {
                covered++;
            }
        }
        return new Result(counts, confident, (double) confident / n, covered, ModeCoverage.reverseKl(counts), n,
                confidence);
    }

    /** Index of the largest of data[from .. from+k), the first on ties. */
    static int argmax(float[] data, int from, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (data[from + c] > data[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
