package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Samples from a generator by itself (no trainer, no D, no optimizer): evaluation passes, no gradient. */
public final class Sampler {

    private static final int CHUNK = 1000;

    private Sampler() {}

    /**
     * n samples as [n, C·H·W] (CHW per row), in chunks of 1,000, with dropout off and batch norm
     * on its running averages. The noise comes from the engine's RNG as it stands. A conditional
     * generator draws every class equally: sample i is of class i mod K.
     */
    public static float[] generate(Generator g, NDManager manager, int n) {
        return generate(g, manager, n, g.classes() == 0 ? null : Conditioning.cycle(n, Conditioning.all(g.classes())));
    }

    /**
     * As {@link #generate(Generator, NDManager, int)}, sample i of class {@code labels[i]} (null for an
     * unconditional generator); the noise drawn is the same whatever the labels.
     */
    public static float[] generate(Generator g, NDManager manager, int n, int[] labels) {
        if ((labels == null) != (g.classes() == 0) || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException(labels == null ? "a conditional generator needs a label per sample"
                    : "labels for " + labels.length + " samples of " + n + (g.classes() == 0 ? " to an unconditional generator" : ""));
        }
        int dim = g.outputDim();
        float[] out = new float[n * dim];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            try (NDManager sm = manager.newSubManager()) {
                NDArray y = labels == null ? null
                        : Conditioning.oneHot(sm, java.util.Arrays.copyOfRange(labels, start, start + m), g.classes());
                float[] part = g.forward(g.sampleNoise(sm, m), y, true, false).toFloatArray();
                System.arraycopy(part, 0, out, start * dim, part.length);
            }
        }
        return out;
    }

    /** G(z) for given noise z [n, noiseDim] as [n, C·H·W]; z is left as it was. */
    public static float[] fromNoise(Generator g, NDManager manager, NDArray z) {
        return fromNoise(g, manager, z, null);
    }

    /** G(z, y) for given noise z [n, noiseDim] and labels (null for an unconditional G) as [n, C·H·W]. */
    public static float[] fromNoise(Generator g, NDManager manager, NDArray z, int[] labels) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray copy = z.duplicate();
            copy.attach(sm);
            NDArray y = labels == null ? null : Conditioning.oneHot(sm, labels, g.classes());
            return g.forward(copy, y, true, false).toFloatArray();
        }
    }
}
