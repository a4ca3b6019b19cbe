package dev.gantry.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gantry.BadInputException;

/**
 * Density and coverage of Naeem, Oh, Uh, Choi and Yoo, "Reliable Fidelity and Diversity Metrics
 * for Generative Models" (ICML 2020), with k = 5. With NND<sub>k</sub>(Xᵢ) the distance from real
 * feature Xᵢ to its k-th nearest other real feature and B(x, r) the ball of radius r around x:
 *
 * <pre>
 *   density  = 1/(k·M) · Σⱼ Σᵢ 1[Yⱼ ∈ B(Xᵢ, NND_k(Xᵢ))]
 *   coverage = 1/N     · Σᵢ 1[∃ j: Yⱼ ∈ B(Xᵢ, NND_k(Xᵢ))]
 * </pre>
 *
 * for N real features X and M fake features Y. As the authors' {@code prdc.compute_prdc}
 * (clovaai/generative-evaluation-prdc): radii from {@code get_kth_value(distances, k + 1)}, the
 * point itself excluded (a duplicate of it counts, at distance 0), and balls open: a fake feature
 * is inside when its distance is strictly less than the radius ({@code <}), unlike
 * {@link PrecisionRecall}'s closed balls. Density is not bounded by 1 (fake features crowded into
 * real neighbourhoods); ≈ 1 for two sets from one distribution.
 *
 * <p>Computation as {@link PrecisionRecall} (chunked engine matmuls of squared distances, float32
 * by default or float64, counts in Java): two n² passes, real–real for the radii and fake–real for
 * the counts.
 */
public final class DensityCoverage {

    /** k of the paper's recommended setting. */
    public static final int DEFAULT_K = 5;

    private DensityCoverage() {}

    /**
     * One evaluation.
     *
     * @param density mean over fake features of the number of real balls holding them, over k
     * @param coverage fraction of real balls holding at least one fake feature, in [0, 1]
     * @param k neighbourhood size
     * @param realCount N
     * @param fakeCount M
     */
    public record Result(double density, double coverage, int k, int realCount, int fakeCount) {}

    /** Density and coverage with k = 5 and a float32 matmul. */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f) {
        return compute(manager, real, nReal, fake, nFake, f, DEFAULT_K, DataType.FLOAT32);
    }

    /**
     * Density and coverage of {@code fake} [nFake, f] against {@code real} [nReal, f].
     *
     * @param k neighbourhood size, at least 1; the real set needs more than k rows, the fake set
     *     at least one
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64}, the matmul's type
     * @throws BadInputException if k &lt; 1, the real set has k rows or fewer, a matrix has the
     *     wrong size (e.g. another feature width) or holds a non-finite value
     */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f, int k,
            DataType dataType) {
        return compute(manager, real, nReal, fake, nFake, f, k, dataType,
                PairwiseDistances.defaultChunkRows(Math.max(nReal, nFake), f));
    }

    /** As the public form, with {@code chunkRows} rows per engine matmul (tests use small chunks). */
    static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f, int k,
            DataType dataType, int chunkRows) {
        FeatureInputs.requireNeighbourhoods(manager, dataType, k, real, nReal, fake, nFake, f, false);

        long[] inBalls = new long[nFake];
        boolean[] covered = new boolean[nReal]; // written from several threads: only ever set to true
        try (PairwiseDistances toReal = new PairwiseDistances(manager, real, nReal, f, dataType, chunkRows)) {
            double[] radii = toReal.kthNeighbourSquaredDistances(real, k);
            toReal.forEachRow(fake, nFake, (j, d) -> {
                long count = 0;
                for (int i = 0; i < nReal; i++) {
                    if (d[i] < radii[i]) {
                        count++;
                        covered[i] = true;
                    }
                }
                inBalls[j] = count;
            });
        }
        long total = 0;
        for (long c : inBalls) {
            total += c;
        }
        double density = (double) total / ((double) k * nFake);
        return new Result(density, PrecisionRecall.fraction(covered), k, nReal, nFake);
    }
}
