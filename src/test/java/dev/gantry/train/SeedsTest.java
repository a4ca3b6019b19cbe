package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.util.Seeds;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seed derivation and the per-epoch data order. */
class SeedsTest {

    @Test
    void deriveIsDeterministicAndNonNegative() {
        assertThat(Seeds.derive(1234, Seeds.STEP, 17)).isEqualTo(Seeds.derive(1234, Seeds.STEP, 17));
        for (long counter = 0; counter < 1000; counter++) {
            assertThat(Seeds.derive(1234, Seeds.STEP, counter)).isNotNegative();
        }
    }

    @Test
    void streamsCountersAndSeedsGiveDifferentValues() {
        Set<Long> seen = new HashSet<>();
        long[] streams = {Seeds.INIT, Seeds.STEP, Seeds.SHUFFLE, Seeds.FIXED_NOISE, Seeds.EVAL, Seeds.DATA};
        int draws = 0;
        for (long seed : new long[] {0, 1, 1234, -7}) {
            for (long stream : streams) {
                for (long counter = 0; counter < 500; counter++) {
                    seen.add(Seeds.derive(seed, stream, counter));
                    draws++;
                }
            }
        }
        // 12,000 63-bit values: a single collision would have probability ~1e−11 for a well-mixed hash.
        assertThat(seen).hasSize(draws);
        assertThat(Seeds.derive(1234, Seeds.STEP, 0)).isNotEqualTo(Seeds.derive(1234, Seeds.SHUFFLE, 0));
        assertThat(Seeds.derive(1234, Seeds.STEP, 0)).isNotEqualTo(Seeds.derive(1234, Seeds.STEP, 1));
        assertThat(Seeds.derive(1234, Seeds.STEP, 0)).isNotEqualTo(Seeds.derive(1235, Seeds.STEP, 0));
    }

    @Test
    void derivedBitsAreBalanced() {
        // Each of the 63 bits is set in about half of 4,000 consecutive counters (s.e. √(0.25/4000) ≈ 0.008).
        int n = 4000;
        int[] ones = new int[63];
        for (long counter = 0; counter < n; counter++) {
            long v = Seeds.derive(42, Seeds.STEP, counter);
            for (int bit = 0; bit < 63; bit++) {
                ones[bit] += (int) ((v >>> bit) & 1);
            }
        }
        for (int bit = 0; bit < 63; bit++) {
            assertThat((double) ones[bit] / n).as("bit %d", bit).isBetween(0.5 - 5 * 0.0079, 0.5 + 5 * 0.0079);
        }
    }

    @Test
    void seedEngineMakesDrawsRepeatable() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(1234, Seeds.STEP, 3);
            float[] a = m.randomUniform(0f, 1f, new Shape(16)).toFloatArray();
            Seeds.seedEngine(1234, Seeds.STEP, 4);
            float[] b = m.randomUniform(0f, 1f, new Shape(16)).toFloatArray();
            Seeds.seedEngine(1234, Seeds.STEP, 3);
            float[] c = m.randomUniform(0f, 1f, new Shape(16)).toFloatArray();
            assertThat(c).containsExactly(a);
            assertThat(b).isNotEqualTo(a);
        } finally {
            Engine.getInstance().setRandomSeed(0);
        }
    }

    @Test
    void eachEpochVisitsEveryImageOnceInItsOwnOrder() {
        RunConfig config = ConfigLoader.load("tiny", null, List.of());
        ImageSet data = FakeImages.generate(config.data().trainSize(), 7);
        try (GanTrainer t = new GanTrainer(config, data)) {
            int n = data.n();
            int[] e0 = t.permutation(0);
            int[] e1 = t.permutation(1);
            for (int[] order : new int[][] {e0, e1, t.permutation(7)}) {
                int[] sorted = order.clone();
                java.util.Arrays.sort(sorted);
                assertThat(sorted).containsExactly(identity(n));   // a permutation of 0..n−1
            }
            assertThat(e1).isNotEqualTo(e0);
            assertThat(e0).isNotEqualTo(identity(n));
            assertThat(t.permutation(0)).containsExactly(e0);   // deterministic
            // A shuffle, not a rotation: few images keep their place (expected 1 for a uniform permutation).
            int fixed = 0;
            for (int i = 0; i < n; i++) {
                if (e0[i] == i) {
                    fixed++;
                }
            }
            assertThat(fixed).isLessThan(8);
        }
        // Another seed gives another order.
        RunConfig other = ConfigLoader.load("tiny", null, List.of("seed=99"));
        try (GanTrainer t1 = new GanTrainer(config, data); GanTrainer t2 = new GanTrainer(other, data)) {
            assertThat(t2.permutation(0)).isNotEqualTo(t1.permutation(0));
        }
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
        }
        return id;
    }
}
