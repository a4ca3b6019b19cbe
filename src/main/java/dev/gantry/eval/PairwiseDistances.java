package dev.gantry.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Squared Euclidean distances from rows of one feature matrix to all rows of another, a chunk of
 * rows at a time, for the k-NN manifold metrics ({@link PrecisionRecall}, {@link DensityCoverage}).
 *
 * <p>As {@link ParzenWindow}: ‖x − y‖² = ‖x‖² + ‖y‖² − 2·x·yᵀ with one engine matmul per chunk of
 * rows, both sides first centred on the columns' mean (distances do not change, the cancellation
 * gets smaller), norms and the sum in double, negative results of cancellation clamped to 0. The
 * matmul runs in float32 by default or in float64. A chunk's distances are never more than
 * {@link ParzenWindow#CHUNK_ELEMENTS} values, so memory stays bounded for any n; each row of a
 * chunk is handed to a visitor, rows in parallel on the common pool.
 */
final class PairwiseDistances implements AutoCloseable {

    /** Receives one row's squared distances to every column; the array is reused after the call. */
    interface RowVisitor {
        void visit(int row, double[] squaredDistances);
    }

    private final int nCols;
    private final int f;
    private final DataType type;
    private final double[] centre;
    private final double[] colSq;
    private final NDManager manager;
    private final NDArray colsT; // [f, nCols]
    private final int chunkRows;

    /** Holds {@code cols} [nCols, f] (centred on their mean) on the engine until {@link #close()}. */
    PairwiseDistances(NDManager parent, float[] cols, int nCols, int f, DataType type) {
        this(parent, cols, nCols, f, type, defaultChunkRows(nCols, f));
    }

    /** As above with {@code chunkRows} rows per engine matmul (at least 1). */
    PairwiseDistances(NDManager parent, float[] cols, int nCols, int f, DataType type, int chunkRows) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("dataType must be FLOAT32 or FLOAT64, got " + type);
        }
        this.nCols = nCols;
        this.f = f;
        this.type = type;
        this.centre = columnMeans(cols, nCols, f);
        this.colSq = new double[nCols];
        this.chunkRows = Math.max(1, Math.min(chunkRows, Integer.MAX_VALUE / Math.max(nCols, f)));
        this.manager = parent.newSubManager();
        try {
            this.colsT = centred(manager, cols, 0, nCols, colSq).transpose();
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Rows per chunk so that neither [rows, nCols] nor [rows, f] exceeds {@link ParzenWindow#CHUNK_ELEMENTS}. */
    static int defaultChunkRows(int nCols, int f) {
        return Math.max(1, ParzenWindow.CHUNK_ELEMENTS / Math.max(nCols, f));
    }

    int columns() {
        return nCols;
    }

    /** Calls {@code visitor} once for every row of {@code rows} [nRows, f], in parallel. */
    void forEachRow(float[] rows, int nRows, RowVisitor visitor) {
        ThreadLocal<double[]> scratch = ThreadLocal.withInitial(() -> new double[nCols]);
        for (int from = 0; from < nRows; from += chunkRows) {
            int count = Math.min(chunkRows, nRows - from);
            double[] rowSq = new double[count];
            float[] dotF = null;
            double[] dotD = null;
            try (NDManager chunk = manager.newSubManager()) {
                NDArray prod = centred(chunk, rows, from, count, rowSq).matMul(colsT); // [count, nCols]
                if (type == DataType.FLOAT32) {
                    dotF = prod.toFloatArray();
                } else {
                    dotD = prod.toDoubleArray();
                }
            }
            float[] pf = dotF;
            double[] pd = dotD;
            int offset = from;
            IntStream.range(0, count).parallel().forEach(i -> {
                double[] d = scratch.get();
                int base = i * nCols;
                double sq = rowSq[i];
                if (pf != null) {
                    for (int j = 0; j < nCols; j++) {
                        d[j] = Math.max(0.0, sq + colSq[j] - 2.0 * pf[base + j]);
                    }
                } else {
                    for (int j = 0; j < nCols; j++) {
                        d[j] = Math.max(0.0, sq + colSq[j] - 2.0 * pd[base + j]);
                    }
                }
                visitor.visit(offset + i, d);
            });
        }
    }

    /**
     * The squared distance from each row of {@code x} [n, f] to its k-th nearest other row (the
     * row itself excluded by index; duplicates of it count, at distance 0).
     */
    static double[] kthNeighbourSquaredDistances(NDManager parent, float[] x, int n, int f, int k, DataType type,
            int chunkRows) {
        try (PairwiseDistances distances = new PairwiseDistances(parent, x, n, f, type, chunkRows)) {
            return distances.kthNeighbourSquaredDistances(x, k);
        }
    }

    /** As the static form, for {@code x}, the very matrix these columns were made from. */
    double[] kthNeighbourSquaredDistances(float[] x, int k) {
        double[] kth = new double[nCols];
        forEachRow(x, nCols, (row, d) -> kth[row] = kthSmallest(d, k, row));
        return kth;
    }

    /** The k-th smallest of {@code d}, skipping index {@code exclude} (−1 for none); k ≥ 1. */
    static double kthSmallest(double[] d, int k, int exclude) {
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        double worst = Double.POSITIVE_INFINITY;
        for (int j = 0; j < d.length; j++) {
            double v = d[j];
            if (v >= worst || j == exclude) {
                continue;
            }
            int p = k - 1;
            while (p > 0 && best[p - 1] > v) {
                best[p] = best[p - 1];
                p--;
            }
            best[p] = v;
            worst = best[k - 1];
        }
        return best[k - 1];
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Rows [from, from+count) minus the centre, in the matmul's type; sqOut gets their norms². */
    private NDArray centred(NDManager target, float[] data, int from, int count, double[] sqOut) {
        Shape shape = new Shape(count, f);
        int base = from * f;
        if (type == DataType.FLOAT32) {
            float[] c = new float[count * f];
            for (int i = 0; i < count; i++) {
                double sq = 0;
                for (int t = 0; t < f; t++) {
                    float v = (float) (data[base + i * f + t] - centre[t]);
                    c[i * f + t] = v;
                    sq += (double) v * v;
                }
                sqOut[i] = sq;
            }
            return target.create(c, shape);
        }
        double[] c = new double[count * f];
        for (int i = 0; i < count; i++) {
            double sq = 0;
            for (int t = 0; t < f; t++) {
                double v = data[base + i * f + t] - centre[t];
                c[i * f + t] = v;
                sq += v * v;
            }
            sqOut[i] = sq;
        }
        return target.create(c, shape);
    }

    static double[] columnMeans(float[] data, int rows, int f) {
        double[] mean = new double[f];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < f; t++) {
                mean[t] += data[i * f + t];
            }
        }
        for (int t = 0; t < f; t++) {
            mean[t] /= rows;
        }
        return mean;
    }
}
