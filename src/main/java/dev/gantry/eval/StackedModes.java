package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mode count on Stacked MNIST (protocols.md §5), the protocol of Lin, Khetan, Fanti and Oh,
 * "PacGAN: The power of two samples in generative adversarial networks" (NeurIPS 2018), after
 * Metz et al.'s unrolled GAN: each of the three channels of a sample is classified as a digit by a
 * pretrained MNIST classifier; the triple (d₀, d₁, d₂) is one of 1000 modes, numbered
 * 100·d₀ + 10·d₁ + d₂. Reported: the number of distinct triples hit (of 1000) and KL(q ‖ u) in nats
 * of the triple histogram q against the uniform u over the 1000 modes, Σ_{q &gt; 0} q log(1000·q),
 * as the authors' {@code JSD.KLD} ({@link ModeCoverage#reverseKl}). Every sample counts (no
 * confidence threshold; the probability overload takes each channel's argmax, ties to the lower
 * digit). PacGAN reports DCGAN 99 modes / KL 3.4 and PacDCGAN4 1000 / 0.07 on 26,000 samples.
 */
public final class StackedModes {

    /** Modes of Stacked MNIST: 10³ digit triples. */
    public static final int MODES = 1000;
    /** The number of samples the protocol evaluates. */
    public static final int PROTOCOL_SAMPLES = 26_000;

    private static final int DIGITS = 10;

    private StackedModes() {}

    /**
     * One evaluation.
     *
     * @param modes distinct triples hit, 0..1000
     * @param klToUniform KL(q ‖ uniform over 1000) in nats
     * @param histogram samples per triple 100·d₀ + 10·d₁ + d₂, length 1000
     * @param samples n
     */
    public record Result(int modes, double klToUniform, int[] histogram, int samples) {

        public Result {
            histogram = histogram.clone();
        }

        @Override
        public int[] histogram() {
            return histogram.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && modes == r.modes && Double.compare(klToUniform, r.klToUniform) == 0
                    && Arrays.equals(histogram, r.histogram) && samples == r.samples;
        }

        @Override
        public int hashCode() {
            return Objects.hash(modes, klToUniform, Arrays.hashCode(histogram), samples);
        }

        @Override
        public String toString() {
            return "Result[modes=" + modes + ", klToUniform=" + klToUniform + ", samples=" + samples + "]";
        }
    }

    /**
     * Modes from the predicted digit of each channel.
     *
     * @param channel0 digits 0..9 of the first channel, one per sample
     * @throws BadInputException if the arrays are empty, of different lengths, or hold a value
     *     outside 0..9
     */
    public static Result compute(int[] channel0, int[] channel1, int[] channel2) {
        FeatureInputs.requireLabels("channel 0 digits", channel0, DIGITS, 1);
        FeatureInputs.requireLabels("channel 1 digits", channel1, DIGITS, 1);
        FeatureInputs.requireLabels("channel 2 digits", channel2, DIGITS, 1);
        int n = channel0.length;
        if (channel1.length != n || channel2.length != n) {
            throw new BadInputException("channel digits have " + n + ", " + channel1.length + " and "
                    + channel2.length + " samples; expected the same number for all three channels");
        }
        int[] histogram = new int[MODES];
        for (int i = 0; i < n; i++) {
            histogram[100 * channel0[i] + 10 * channel1[i] + channel2[i]]++;
        }
        int modes = 0;
        for (int c : histogram) {
            modes += c > 0 ? 1 : 0;
        }
        return new Result(modes, ModeCoverage.reverseKl(histogram), histogram, n);
    }

    /**
     * Modes from each channel's digit probabilities, [n, 10] per channel; the argmax is the digit.
     *
     * @throws BadInputException if a matrix is not [n, 10] with n ≥ 1, a value lies outside
     *     [0, 1] or a row does not sum to 1 within 1e-3
     */
    public static Result compute(float[] probabilities0, float[] probabilities1, float[] probabilities2, int n) {
        return compute(digits("channel 0 probabilities", probabilities0, n),
                digits("channel 1 probabilities", probabilities1, n),
                digits("channel 2 probabilities", probabilities2, n));
    }

    private static int[] digits(String what, float[] probabilities, int n) {
        FeatureInputs.requireProbabilities(what, probabilities, n, DIGITS, 1, null);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ClassHistogram.argmax(probabilities, i * DIGITS, DIGITS);
        }
        return out;
    }
}
