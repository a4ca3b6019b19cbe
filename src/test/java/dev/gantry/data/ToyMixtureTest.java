package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PacGAN mixtures (Lin et al. 2018): their modes, samples and density. */
class ToyMixtureTest {

    @Test
    void namedMixturesAndUnknownNames() {
        assertThat(ToyMixture.named("ring8")).isSameAs(ToyMixture.RING8);
        assertThat(ToyMixture.named("grid25")).isSameAs(ToyMixture.GRID25);
        assertThat(ToyMixture.names()).containsExactly("ring8", "grid25");
        assertThatThrownBy(() -> ToyMixture.named("ring9"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("'ring9'").hasMessageContaining("ring8").hasMessageContaining("grid25");
    }

    @Test
    void ring8HasEightModesOnTheUnitCircle() {
        ToyMixture m = ToyMixture.RING8;
        assertThat(m.modes()).isEqualTo(8);
        assertThat(m.std()).isEqualTo(0.01);
        double[][] means = m.means();
        for (int i = 0; i < 8; i++) {
            assertThat(means[i][0]).isCloseTo(Math.cos(2 * Math.PI * i / 8), within(1e-15));
            assertThat(means[i][1]).isCloseTo(Math.sin(2 * Math.PI * i / 8), within(1e-15));
        }
    }

    @Test
    void grid25HasTheGridInItertoolsProductOrder() {
        ToyMixture m = ToyMixture.GRID25;
        assertThat(m.modes()).isEqualTo(25);
        assertThat(m.std()).isEqualTo(0.05);
        double[][] means = m.means();
        int k = 0;
        for (int i = -4; i <= 4; i += 2) {
            for (int j = -4; j <= 4; j += 2) {
                assertThat(means[k]).as("mode %d", k).containsExactly(i, j);
                k++;
            }
        }
    }

    @Test
    void meansIsACopy() {
        ToyMixture.RING8.means()[0][0] = 42;
        assertThat(ToyMixture.RING8.mean(0, 0)).isEqualTo(1.0);
    }

    @Test
    void samplingIsDeterministicPerSeed() {
        float[] a = ToyMixture.GRID25.sample(300, 11);
        assertThat(a).hasSize(600).containsExactly(ToyMixture.GRID25.sample(300, 11));
        assertThat(a).isNotEqualTo(ToyMixture.GRID25.sample(300, 12));
        assertThat(ToyMixture.RING8.sample(0, 1)).isEmpty();
        assertThatThrownBy(() -> ToyMixture.RING8.sample(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesSpreadEvenlyOverModesWithTheModeStd() {
        for (ToyMixture m : List.of(ToyMixture.RING8, ToyMixture.GRID25)) {
            int n = 20_000;
            float[] s = m.sample(n, 5);
            int[] counts = new int[m.modes()];
            double sq = 0;
            for (int i = 0; i < n; i++) {
                int k = nearest(m, s[2 * i], s[2 * i + 1]);
                counts[k]++;
                double dx = s[2 * i] - m.mean(k, 0);
                double dy = s[2 * i + 1] - m.mean(k, 1);
                sq += dx * dx + dy * dy;
            }
            double p = 1.0 / m.modes();
            double se = Math.sqrt(n * p * (1 - p));
            for (int k = 0; k < m.modes(); k++) {
                assertThat((double) counts[k]).as("%s mode %d", m.name(), k).isCloseTo(n * p, within(5 * se));
            }
            // Per-coordinate std from the 2n squared deviations (σ̂/σ has s.e. ≈ 1/√(4n)).
            double sd = Math.sqrt(sq / (2.0 * n));
            assertThat(sd).as(m.name()).isCloseTo(m.std(), within(m.std() * 5 / Math.sqrt(4.0 * n)));
        }
    }

    @Test
    void densityAtAModeCentreHasTheClosedForm() {
        double s = 0.01;
        assertThat(ToyMixture.RING8.density(1, 0)).isCloseTo(1.0 / 8 / (2 * Math.PI * s * s), within(1e-9));
        assertThat(ToyMixture.RING8.density(0, 0)).isZero(); // 100 σ from every mode
        assertThat(ToyMixture.GRID25.density(1, 1)).isCloseTo(0, within(1e-100));
    }

    @Test
    void densityIntegratesToOne() {
        // Midpoint rule on [−5, 5]² with step σ/5 = 0.01 for grid25.
        ToyMixture m = ToyMixture.GRID25;
        double h = 0.01;
        double sum = 0;
        for (double x = -5 + h / 2; x < 5; x += h) {
            for (double y = -5 + h / 2; y < 5; y += h) {
                sum += m.density(x, y);
            }
        }
        assertThat(sum * h * h).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void customMixturesAreValidated() {
        ToyMixture m = ToyMixture.of("pair", new double[][] {{-1, 0}, {1, 0}}, 0.1);
        assertThat(m.modes()).isEqualTo(2);
        assertThatThrownBy(() -> ToyMixture.of("x", new double[0][], 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ToyMixture.of("x", new double[][] {{1, 2, 3}}, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ToyMixture.of("x", new double[][] {{1, 2}}, 0)).isInstanceOf(IllegalArgumentException.class);
        Set<String> names = new HashSet<>(ToyMixture.names());
        assertThat(names).doesNotContain("pair"); // a custom mixture is not registered
    }

    private static int nearest(ToyMixture m, double x, double y) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m.modes(); k++) {
            double dx = x - m.mean(k, 0);
            double dy = y - m.mean(k, 1);
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }
}
