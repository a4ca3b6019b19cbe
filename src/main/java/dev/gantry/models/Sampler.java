package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Samples from a generator by itself (no trainer, no D, no optimizer): evaluation passes, no gradient. */
public final class Sampler {

    private static final int CHUNK = 1000;

    private Sampler() {}

    /**
     * n samples as [n, C·H·W] (CHW per row), in chunks of 1,000, with dropout off and batch norm
     * on its running averages. The noise comes from the engine's RNG as it stands.
     */
    public static float[] generate(Generator g, NDManager manager, int n) {
        int dim = g.outputDim();
        float[] out = new float[n * dim];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            try (NDManager sm = manager.newSubManager()) {
                float[] part = g.forward(g.sampleNoise(sm, m), true, false).toFloatArray();
                System.arraycopy(part, 0, out, start * dim, part.length);
            }
        }
        return out;
    }

    /** G(z) for given noise z [n, noiseDim] as [n, C·H·W]; z is left as it was. */
    public static float[] fromNoise(Generator g, NDManager manager, NDArray z) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray copy = z.duplicate();
            copy.attach(sm);
            return g.forward(copy, true, false).toFloatArray();
        }
    }
}
