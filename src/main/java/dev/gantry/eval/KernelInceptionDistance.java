package dev.gantry.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Kernel Inception Distance of Bińkowski, Sutherland, Arbel and Gretton, "Demystifying MMD GANs"
 * (ICLR 2018): the unbiased estimate of the squared maximum mean discrepancy with the cubic
 * polynomial kernel k(x, y) = (xᵀy / f + 1)³, averaged over random subsets.
 *
 * <p>As {@code kernel_inception_distance.py} of NVlabs/stylegan2-ada(-pytorch) ({@code
 * compute_kid}, defaults {@code num_subsets=100}, {@code max_subset_size=1000}): m = min(nReal,
 * nFake, subsetSize); per subset, m fake rows x and m real rows y drawn without replacement (fake
 * first), and
 *
 * <pre>
 *   MMD²ᵤ = [Σ_{i≠j} k(xᵢ,xⱼ) + Σ_{i≠j} k(yᵢ,yⱼ)] / (m(m−1)) − 2 Σ_{i,j} k(xᵢ,yⱼ) / m²
 * </pre>
 *
 * The result is the mean over subsets (StyleGAN2-ADA's KID) and their population standard
 * deviation ({@code np.std}, as torch-fidelity's {@code kid_subsets}/{@code kid_std}). Unbiased:
 * two samples of one distribution give values scattered around 0, slightly negative ones
 * included.
 *
 * <p>Deviations: subsets come from {@link SplittableRandom} with the given seed (partial
 * Fisher–Yates), not numpy's global generator; the three m × m Gram matrices are engine matmuls
 * in float32, the kernel, the masking of the diagonals and the sums in float64 on the engine
 * (the reference stays in float32 numpy).
 */
public final class KernelInceptionDistance {

    /** StyleGAN2-ADA's {@code num_subsets}. */
    public static final int DEFAULT_SUBSETS = 100;
    /** StyleGAN2-ADA's {@code max_subset_size}. */
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    /** The seed of the default overload. */
    public static final long DEFAULT_SEED = 0L;

    private KernelInceptionDistance() {}

    /**
     * One evaluation.
     *
     * @param mean mean MMD²ᵤ over the subsets (the KID)
     * @param std population standard deviation of the subsets' MMD²ᵤ
     * @param subsets number of subsets
     * @param subsetSize m, the rows drawn from each set per subset
     */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    /** KID with 100 subsets of up to 1000 rows, seed {@link #DEFAULT_SEED}. */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f) {
        return compute(manager, real, nReal, fake, nFake, f, DEFAULT_SUBSETS, DEFAULT_SUBSET_SIZE, DEFAULT_SEED);
    }

    /**
     * KID of {@code fake} [nFake, f] against {@code real} [nReal, f].
     *
     * @param subsets number of random subsets, at least 1
     * @param subsetSize largest subset size, at least 2; the size used is min(nReal, nFake, subsetSize)
     * @param seed seeds the {@link SplittableRandom} drawing the subsets
     * @throws BadInputException if a set has fewer than 2 rows, a matrix has the wrong size (e.g.
     *     another feature width) or holds a non-finite value, or subsets/subsetSize are too small
     */
    public static Result compute(NDManager manager, float[] real, int nReal, float[] fake, int nFake, int f,
            int subsets, int subsetSize, long seed) {
        Objects.requireNonNull(manager, "manager");
        FeatureInputs.requireAtLeast("KID subsets", subsets, 1);
        FeatureInputs.requireAtLeast("KID subset size", subsetSize, 2);
        FeatureInputs.requireFeatures("real features", real, nReal, f, 2, "for an unbiased MMD");
        FeatureInputs.requireFeatures("fake features", fake, nFake, f, 2, "for an unbiased MMD");
        int m = Math.min(Math.min(nReal, nFake), subsetSize);
        SplittableRandom random = new SplittableRandom(seed);
        int[] fakeOrder = identity(nFake);
        int[] realOrder = identity(nReal);
        double[] mmd = new double[subsets];
        try (NDManager sub = manager.newSubManager()) {
            NDArray offDiagonal = sub.ones(new Shape(m, m), DataType.FLOAT64)
                    .sub(sub.eye(m).toType(DataType.FLOAT64, false));
            for (int s = 0; s < subsets; s++) {
                float[] x = draw(fake, fakeOrder, m, f, random);
                float[] y = draw(real, realOrder, m, f, random);
                try (NDManager chunk = sub.newSubManager()) {
                    NDArray xs = chunk.create(x, new Shape(m, f));
                    NDArray ys = chunk.create(y, new Shape(m, f));
                    double sxx = kernel(xs, xs, f).mul(offDiagonal).sum().getDouble();
                    double syy = kernel(ys, ys, f).mul(offDiagonal).sum().getDouble();
                    double sxy = kernel(xs, ys, f).sum().getDouble();
                    mmd[s] = (sxx + syy) / ((double) m * (m - 1)) - 2.0 * sxy / ((double) m * m);
                }
            }
        }
        ParzenWindow.Stats stats = ParzenWindow.meanAndStdErr(mmd);
        return new Result(stats.mean(), stats.std(), subsets, m);
    }

    /** (a·bᵀ / f + 1)³ in float64, from a float32 matmul. */
    private static NDArray kernel(NDArray a, NDArray b, int f) {
        return a.matMul(b.transpose()).toType(DataType.FLOAT64, false).div((double) f).add(1.0).pow(3);
    }

    /** m rows of {@code data} drawn without replacement: a partial Fisher–Yates step on {@code order}. */
    private static float[] draw(float[] data, int[] order, int m, int f, SplittableRandom random) {
        int n = order.length;
        float[] out = new float[m * f];
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            System.arraycopy(data, order[i] * f, out, i * f, f);
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
