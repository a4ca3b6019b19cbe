package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestNeighboursTest {

    @Test
    void agreesWithBruteForceAcrossChunks() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 7, n = 3000, d = 1500;   // n·d > one chunk, so several chunks are scanned
        float[] q = new float[m * d];
        float[] r = new float[n * d];
        for (int i = 0; i < q.length; i++) q[i] = (float) rng.nextDouble();
        for (int i = 0; i < r.length; i++) r[i] = (float) rng.nextDouble();
        // Plant exact near-copies so the answer is unambiguous.
        int[] planted = {5, 2999, 1234, 0, 777, 2048, 1500};
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) r[planted[i] * d + k] = q[i * d + k] + (k == i ? 0.01f : 0f);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NearestNeighbours.Result res = NearestNeighbours.find(manager, q, m, r, n, d);
            for (int i = 0; i < m; i++) {
                int best = -1;
                double bestD = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double diff = q[i * d + k] - r[j * d + k];
                        s += diff * diff;
                    }
                    if (s < bestD) { bestD = s; best = j; }
                }
                assertThat(res.index()[i]).isEqualTo(best).isEqualTo(planted[i]);
                assertThat(res.squaredDistance()[i]).isCloseTo(bestD, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }
}
