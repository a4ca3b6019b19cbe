package dev.gantry.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Nearest neighbours by squared Euclidean distance in pixel space, as in Figure 2 of Goodfellow
 * et al. (2014): for each query, the closest reference row (evidence a generator did not memorise).
 *
 * <p>Distances come from ‖q‖² + ‖r‖² − 2·q·rᵀ with one matrix product per chunk of references;
 * the winner is then re-scored exactly in double so the reported distance does not carry float32
 * cancellation error.
 */
public final class NearestNeighbours {

    /** For each query: the index of its nearest reference and the squared distance to it. */
    public record Result(int[] index, double[] squaredDistance) {}

    private NearestNeighbours() {}

    public static Result find(NDManager manager, float[] queries, int m, float[] references, int n, int d) {
        if (queries.length != (long) m * d || references.length != (long) n * d || m <= 0 || n <= 0) {
            throw new IllegalArgumentException("expected queries [" + m + "," + d + "] and references [" + n + "," + d + "]");
        }
        int[] best = new int[m];
        double[] bestScore = new double[m];
        java.util.Arrays.fill(bestScore, Double.POSITIVE_INFINITY);
        int chunk = Math.max(1, (1 << 22) / d);
        try (NDManager sm = manager.newSubManager()) {
            NDArray q = sm.create(queries, new Shape(m, d));
            for (int start = 0; start < n; start += chunk) {
                int rows = Math.min(chunk, n - start);
                try (NDManager cm = sm.newSubManager()) {
                    float[] part = new float[rows * d];
                    System.arraycopy(references, start * d, part, 0, part.length);
                    NDArray r = cm.create(part, new Shape(rows, d));
                    // ‖r‖² − 2 q·rᵀ ranks references for each query (‖q‖² is the same for all of them).
                    NDArray score = r.square().sum(new int[] {1}).expandDims(0).sub(q.matMul(r.transpose()).mul(2));
                    float[] s = score.toFloatArray();                       // [m, rows]
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < rows; j++) {
                            if (s[i * rows + j] < bestScore[i]) {
                                bestScore[i] = s[i * rows + j];
                                best[i] = start + j;
                            }
                        }
                    }
                }
            }
        }
        double[] dist = new double[m];
        for (int i = 0; i < m; i++) {
            double sum = 0;
            for (int k = 0; k < d; k++) {
                double diff = queries[i * d + k] - references[best[i] * d + k];
                sum += diff * diff;
            }
            dist[i] = sum;
        }
        return new Result(best, dist);
    }
}
