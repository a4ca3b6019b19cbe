package dev.gantry.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gantry.BadInputException;

/**
 * Improved precision and recall of Kynkäänniemi, Karras, Laine, Lehtinen and Aila, "Improved
 * Precision and Recall Metric for Assessing Generative Models" (NeurIPS 2019), with k = 3.
 *
 * <p>Each set's manifold is the union of balls around its features, the radius of each the
 * distance to its k-th nearest other feature of the same set. Precision is the fraction of fake
 * features inside at least one real ball, recall the fraction of real features inside at least one
 * fake ball. As the authors' {@code precision_recall.py} in NVlabs/stylegan2-ada(-pytorch)
 * ({@code compute_pr}: {@code kthvalue(nhood_size + 1)} over distances that include the point
 * itself, then {@code (dist <= kth).any(dim=1)}) and kynkaat/improved-precision-and-recall-metric:
 * balls are closed (≤), the point itself is not its own neighbour, a duplicate of it is (at
 * distance 0).
 *
 * <p>Computation and deviations: squared distances (same comparisons as distances) from
 * {@link PairwiseDistances}, chunks of rows against all columns on the engine, float32 matmul by
 * default (pass {@link DataType#FLOAT64} to take rounding off the ball boundaries) with norms and
 * comparisons in double; the reference rounds the radii to float16, Gantry keeps them in double.
 * Three n² distance passes (real–real, fake–fake, fake–real; the last serves both precision and
 * recall) with memory bounded by {@link ParzenWindow#CHUNK_ELEMENTS} per chunk.
 */
public final class PrecisionRecall {

    /** k of the paper (its {@code nhood_size}). */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {}

    /**
     * One evaluation.
     *
     * @param precision fraction of fake features in the real manifold, in [0, 1]
     * @param recall fraction of real features in the fake manifold, in [0, 1]
     * @param k neighbourhood size
     * @param realCount N
     * @param fakeCount M
     */
    public record Result(double precision, double recall, int k, int realCount, int fakeCount) {}

    /** Precision and recall with k = 3 and a float32 matmul. */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f) {
        return compute(manager, real, nReal, fake, nFake, f, DEFAULT_K, DataType.FLOAT32);
    }

    /**
     * Precision and recall of {@code fake} [nFake, f] against {@code real} [nReal, f].
     *
     * @param manager the engine arrays live in sub-managers of it, closed before returning
     * @param k neighbourhood size, at least 1; both sets need more than k rows
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64}, the matmul's type
     * @throws BadInputException if k &lt; 1, a set has k rows or fewer, a matrix has the wrong
     *     size (e.g. another feature width) or holds a non-finite value
     */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f, int k,
            DataType dataType) {
        return compute(manager, real, nReal, fake, nFake, f, k, dataType,
                PairwiseDistances.defaultChunkRows(Math.max(nReal, nFake), f));
    }

    /** As the public form, with {@code chunkRows} rows per engine matmul (tests use small chunks). */
    static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f, int k,
            DataType dataType, int chunkRows) {
        FeatureInputs.requireNeighbourhoods(manager, dataType, k, real, nReal, fake, nFake, f, true);

        double[] fakeRadii = PairwiseDistances.kthNeighbourSquaredDistances(manager, fake, nFake, f, k, dataType,
                chunkRows);
        boolean[] fakeInReal = new boolean[nFake];
        boolean[] realInFake = new boolean[nReal]; // written from several threads: only ever set to true
        try (PairwiseDistances toReal = new PairwiseDistances(manager, real, nReal, f, dataType, chunkRows)) {
            double[] realRadii = toReal.kthNeighbourSquaredDistances(real, k);
            toReal.forEachRow(fake, nFake, (j, d) -> {
                double rj = fakeRadii[j];
                boolean inside = false;
                for (int i = 0; i < nReal; i++) {
                    double dij = d[i];
                    if (dij <= realRadii[i]) {
                        inside = true;
                    }
                    if (dij <= rj) {
                        realInFake[i] = true;
                    }
                }
                fakeInReal[j] = inside;
            });
        }
        return new Result(fraction(fakeInReal), fraction(realInFake), k, nReal, nFake);
    }

    static double fraction(boolean[] flags) {
        int count = 0;
        for (boolean b : flags) {
            count += b ? 1 : 0;
        }
        return (double) count / flags.length;
    }
}
