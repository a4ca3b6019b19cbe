package dev.gantry.models;

/**
 * The size of a tensor a network will hold, known from the config before anything is built.
 *
 * @param name the tensor's name, as in checkpoints (a range such as {@code g.h2..g.h5.weight} for
 *     {@code copies} tensors of the same size)
 * @param elements values in one such tensor; {@link Long#MAX_VALUE} when the count overflows
 * @param copies how many tensors of this size there are
 * @param parameter true for a trained parameter (the optimizer keeps state for it), false for a
 *     buffer (batch-norm running statistics, a spectral-norm vector)
 * @param keys the config keys whose product gives {@code elements}, for messages, e.g.
 *     {@code "model.g_hidden × model.noise_dim"}
 * @param copiesKey the config key that sets {@code copies} (e.g. {@code model.g_layers}), or "" for one tensor
 */
public record TensorSize(String name, long elements, long copies, boolean parameter, String keys, String copiesKey) {

    /** One tensor. */
    public TensorSize(String name, long elements, boolean parameter, String keys) {
        this(name, elements, 1, parameter, keys, "");
    }

    /** Values in all {@code copies} tensors together, saturating at {@link Long#MAX_VALUE}. */
    public long total() {
        return times(elements, copies);
    }

    /** The product of non-negative factors, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    public static long times(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("negative size factor " + f);
            }
            if (f == 0) {
                return 0;
            }
            p = p > Long.MAX_VALUE / f ? Long.MAX_VALUE : p * f;
        }
        return p;
    }

    /** The sum of non-negative terms, saturating at {@link Long#MAX_VALUE}. */
    public static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
