package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Inception score of Salimans, Goodfellow, Zaremba, Cheung, Radford and Chen, "Improved
 * Techniques for Training GANs" (NIPS 2016), on any classifier's class probabilities p(y|x):
 *
 * <pre>
 *   score = exp( E_x KL(p(y|x) ‖ p(y)) ),  p(y) = E_x p(y|x)
 * </pre>
 *
 * in nats, between 1 (every sample the same prediction, or every prediction uniform) and k (confident
 * predictions spread evenly over the k classes).
 *
 * <p>As {@code get_inception_score} of openai/improved-gan ({@code inception_score/model.py}): the
 * n samples in {@code splits} (10) consecutive parts, part i the rows [i·n/splits, (i+1)·n/splits)
 * in integer division, p(y) the mean of the part, the score of each part exp(mean of
 * Σ_y p log(p / p(y))), and the report the mean and the population standard deviation
 * ({@code np.std}) of the part scores.
 *
 * <p>log 0: the OpenAI code takes {@code np.log(part)} as it is, so a probability of exactly 0
 * gives 0·(−∞) = NaN. Gantry adds ε = 1e-16 inside both logarithms, log(p + ε) − log(p(y) + ε), as
 * the widely used numpy version does (J. Brownlee's {@code calculate_inception_score(p_yx,
 * eps=1E-16)}); a zero probability then contributes exactly 0 (the limit 0·log 0 = 0) and any other
 * moves by a relative 1e-16 / p. Computed in double.
 */
public final class ClassifierScore {

    /** The reference's number of splits. */
    public static final int DEFAULT_SPLITS = 10;
    /** Added inside both logarithms. */
    public static final double EPSILON = 1e-16;

    private ClassifierScore() {}

    /**
     * One evaluation.
     *
     * @param mean mean of the split scores
     * @param std population standard deviation of the split scores
     * @param splitScores the score of each split, in order
     * @param samples n
     * @param classes k
     */
    public record Result(double mean, double std, double[] splitScores, int samples, int classes) {

        public Result {
            splitScores = splitScores.clone();
        }

        @Override
        public double[] splitScores() {
            return splitScores.clone();
        }

        public int splits() {
            return splitScores.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Double.compare(mean, r.mean) == 0 && Double.compare(std, r.std) == 0
                    && Arrays.equals(splitScores, r.splitScores) && samples == r.samples && classes == r.classes;
        }

        @Override
        public int hashCode() {
            return Objects.hash(mean, std, Arrays.hashCode(splitScores), samples, classes);
        }

        @Override
        public String toString() {
            return "Result[mean=" + mean + ", std=" + std + ", splitScores=" + Arrays.toString(splitScores)
                    + ", samples=" + samples + ", classes=" + classes + "]";
        }
    }

    /** The score over 10 splits. */
    public static Result compute(float[] probabilities, int n, int k) {
        return compute(probabilities, n, k, DEFAULT_SPLITS);
    }

    /**
     * The score of the class probabilities {@code probabilities} [n, k].
     *
     * @param splits consecutive parts, at least 1 and at most n
     * @throws BadInputException if the matrix has the wrong size, a value lies outside [0, 1], a
     *     row does not sum to 1 within 1e-3, or splits is out of range
     */
    public static Result compute(float[] probabilities, int n, int k, int splits) {
        FeatureInputs.requireAtLeast("classifier score splits", splits, 1);
        FeatureInputs.requireProbabilities("class probabilities", probabilities, n, k, splits,
                "(at least one sample per split, " + splits + " splits)");
        double[] scores = new double[splits];
        double[] py = new double[k];
        double[] logPy = new double[k];
        for (int s = 0; s < splits; s++) {
            int from = (int) ((long) s * n / splits);
            int to = (int) ((long) (s + 1) * n / splits);
            Arrays.fill(py, 0);
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    py[c] += probabilities[i * k + c];
                }
            }
            for (int c = 0; c < k; c++) {
                py[c] /= to - from;
                logPy[c] = Math.log(py[c] + EPSILON);
            }
            double kl = 0;
            for (int i = from; i < to; i++) {
                double row = 0;
                for (int c = 0; c < k; c++) {
                    double p = probabilities[i * k + c];
                    row += p * (Math.log(p + EPSILON) - logPy[c]);
                }
                kl += row;
            }
            scores[s] = Math.exp(kl / (to - from));
        }
        ParzenWindow.Stats stats = ParzenWindow.meanAndStdErr(scores);
        return new Result(stats.mean(), stats.std(), scores, n, k);
    }
}
