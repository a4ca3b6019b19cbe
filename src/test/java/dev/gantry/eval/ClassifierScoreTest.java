package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierScoreTest {

    @Test
    void confidentPredictionsSpreadOverKClassesScoreK() {
        int n = 1000, k = 10;
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            p[i * k + i % k] = 1f; // every split of 100 holds each class 10 times
        }
        ClassifierScore.Result r = ClassifierScore.compute(p, n, k);
        assertThat(r.mean()).isCloseTo(10, within(1e-12));
        assertThat(r.std()).isCloseTo(0, within(1e-12));
        assertThat(r.splits()).isEqualTo(10);
        assertThat(r.splitScores()).hasSize(10);
        for (double s : r.splitScores()) {
            assertThat(s).isCloseTo(10, within(1e-12));
        }
    }

    @Test
    void oneClassForEverySampleScoresOne() {
        int n = 500, k = 4;
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            p[i * k + 2] = 1f;
        }
        assertThat(ClassifierScore.compute(p, n, k).mean()).isCloseTo(1, within(1e-12));
        float[] uniform = new float[n * k];
        java.util.Arrays.fill(uniform, 0.25f);
        assertThat(ClassifierScore.compute(uniform, n, k).mean()).isCloseTo(1, within(1e-12));
    }

    @Test
    void agreesWithADirectComputation() {
        Random rng = new Random(41);
        int n = 1003, k = 7, splits = 10; // unequal splits: boundaries i·n/splits
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double[] e = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(3 * rng.nextGaussian());
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (e[c] / sum);
            }
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = s * n / splits, to = (s + 1) * n / splits;
            double[] py = new double[k];
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    py[c] += p[i * k + c] / (double) (to - from);
                }
            }
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    double q = p[i * k + c];
                    if (q > 0) {
                        kl += q * Math.log(q / py[c]);
                    }
                }
            }
            scores[s] = Math.exp(kl / (to - from));
        }
        double mean = 0;
        for (double s : scores) {
            mean += s / splits;
        }
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean) / splits;
        }
        ClassifierScore.Result r = ClassifierScore.compute(p, n, k, splits);
        assertThat(r.splitScores()).containsExactly(scores, within(1e-9));
        assertThat(r.mean()).isCloseTo(mean, within(1e-9)).isBetween(1.5, 7.0);
        assertThat(r.std()).isCloseTo(Math.sqrt(var), within(1e-9)).isPositive();
        assertThat(r.samples()).isEqualTo(n);
        assertThat(r.classes()).isEqualTo(k);
    }

    @Test
    void badInputsAreNamed() {
        float[] p = {0.5f, 0.5f, 1f, 0f};
        assertThatThrownBy(() -> ClassifierScore.compute(p, 2, 2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("2 rows; expected at least 10");
        assertThatThrownBy(() -> ClassifierScore.compute(p, 2, 2, 0))
                .isInstanceOf(BadInputException.class).hasMessageContaining("splits");
        assertThatThrownBy(() -> ClassifierScore.compute(new float[] {0.5f, 0.4f, 1f, 0f}, 2, 2, 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("row 0 sums to");
        assertThatThrownBy(() -> ClassifierScore.compute(new float[] {1.5f, -0.5f, 1f, 0f}, 2, 2, 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("probabilities in [0, 1]");
        assertThatThrownBy(() -> ClassifierScore.compute(new float[] {Float.NaN, 1f, 1f, 0f}, 2, 2, 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("NaN at row 0, class 0");
        assertThatThrownBy(() -> ClassifierScore.compute(p, 3, 2, 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("hold 4 values; expected 3 × 2");
        // within the 1e-3 tolerance is fine
        assertThat(ClassifierScore.compute(new float[] {0.5f, 0.5005f, 1f, 0f}, 2, 2, 1).mean()).isFinite();
    }
}
