package dev.gantry.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gantry.BadInputException;
import java.util.Objects;

/**
 * Checks of the feature and class-probability matrices the GAN metrics take (row-major
 * {@code float[]} of shape [n, f] or [n, k]); every failure is a {@link BadInputException} that
 * names the matrix and says what was expected.
 */
final class FeatureInputs {

    /** Rows of a probability matrix must sum to 1 within this. */
    static final double ROW_SUM_TOLERANCE = 1e-3;

    private FeatureInputs() {}

    /**
     * {@code data} holds {@code rows × cols} finite values and {@code rows ≥ minRows}.
     *
     * @param what e.g. "real features"; the messages start with it
     * @param why why at least {@code minRows} rows are needed, e.g. "for a covariance"
     */
    static void requireFeatures(String what, float[] data, int rows, int cols, int minRows, String why) {
        requireShape(what, data, rows, cols, minRows, why);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new BadInputException(what + " hold a non-finite value (" + data[i] + ") at row "
                        + i / cols + ", column " + i % cols + "; expected finite numbers");
            }
        }
    }

    /**
     * {@code data} is an [rows, k] matrix of class probabilities: every value in [0, 1] and every
     * row summing to 1 within {@link #ROW_SUM_TOLERANCE}.
     */
    static void requireProbabilities(String what, float[] data, int rows, int k, int minRows, String why) {
        requireShape(what, data, rows, k, minRows, why);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                float p = data[i * k + c];
                if (!(p >= 0f && p <= 1f)) { // false for NaN too
                    throw new BadInputException(what + " hold " + p + " at row " + i + ", class " + c
                            + "; expected probabilities in [0, 1]");
                }
                sum += p;
            }
            if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
                throw new BadInputException(what + ": row " + i + " sums to " + sum
                        + "; expected class probabilities summing to 1 (within " + ROW_SUM_TOLERANCE + ")");
            }
        }
    }

    /** Class labels: {@code labels.length ≥ minRows}, each in [0, k). */
    static void requireLabels(String what, int[] labels, int k, int minRows) {
        if (labels == null) {
            throw new BadInputException(what + " are missing (null); expected an array of class indices");
        }
        if (labels.length < minRows) {
            throw new BadInputException(what + " hold " + labels.length + " labels; expected at least " + minRows);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new BadInputException(what + " hold " + labels[i] + " at sample " + i
                        + "; expected a class index in [0, " + k + ")");
            }
        }
    }

    /**
     * The inputs of the k-NN manifold metrics ({@link PrecisionRecall}, {@link DensityCoverage}), in
     * this order: a manager, a {@link #requireMatmulType matmul type}, k ≥ 1, real features [nReal,
     * f] with more than k rows, and fake features [nFake, f] with more than k rows too if {@code
     * fakeBalls} (the metric needs their own k-NN balls), else at least one.
     *
     * @throws NullPointerException if {@code manager} is null
     */
    static void requireNeighbourhoods(NDManager manager, DataType dataType, int k, float[] real, int nReal,
            float[] fake, int nFake, int f, boolean fakeBalls) {
        Objects.requireNonNull(manager, "manager");
        requireMatmulType(dataType);
        requireAtLeast("neighbourhood size k", k, 1);
        String why = "(more than k = " + k + ", for the k-th nearest neighbour)";
        requireFeatures("real features", real, nReal, f, k + 1, why);
        if (fakeBalls) {
            requireFeatures("fake features", fake, nFake, f, k + 1, why);
        } else {
            requireFeatures("fake features", fake, nFake, f, 1, null);
        }
    }

    /** The type of a distance matmul: {@link DataType#FLOAT32} or {@link DataType#FLOAT64}. */
    static void requireMatmulType(DataType dataType) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new BadInputException("matmul type " + dataType + "; expected FLOAT32 or FLOAT64");
        }
    }

    /** A whole number parameter is at least {@code min}. */
    static void requireAtLeast(String what, long value, long min) {
        if (value < min) {
            throw new BadInputException(what + " is " + value + "; expected at least " + min);
        }
    }

    private static void requireShape(String what, float[] data, int rows, int cols, int minRows, String why) {
        if (data == null) {
            throw new BadInputException(what + " are missing (null); expected a row-major [n, " + cols + "] matrix");
        }
        if (cols < 1) {
            throw new BadInputException(what + ": width " + cols + "; expected at least 1 column");
        }
        if (rows < minRows) {
            throw new BadInputException(what + ": " + rows + " rows; expected at least " + minRows
                    + (why == null || why.isEmpty() ? "" : " " + why));
        }
        if ((long) rows * cols != data.length) {
            throw new BadInputException(what + " hold " + data.length + " values; expected " + rows + " × " + cols
                    + " = " + (long) rows * cols + " (n rows of width " + cols + ")");
        }
    }
}
