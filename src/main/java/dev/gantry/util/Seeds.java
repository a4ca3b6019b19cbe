package dev.gantry.util;

/**
 * Derives independent seeds from the master seed, one stream per purpose and counter.
 *
 * <p>Gantry reseeds the engine from (seed, step) at the start of every training step instead of
 * carrying a generator state: a checkpoint then only needs the step to put the RNG exactly where it
 * was, and a resumed run draws the same noise, dropout masks and batches as an uninterrupted one.
 */
public final class Seeds {

    /** Stream ids. */
    public static final long INIT = 1, STEP = 2, SHUFFLE = 3, FIXED_NOISE = 4, EVAL = 5, DATA = 6, DIAGNOSE = 7, INFER = 8;

    private Seeds() {}

    /** A well-mixed 64-bit seed for (seed, stream, counter) (SplitMix64 finaliser). */
    public static long derive(long seed, long stream, long counter) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + counter * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /** Reseeds the engine (torch's generator and DJL's) for (seed, stream, counter). */
    public static void seedEngine(long seed, long stream, long counter) {
        long d = derive(seed, stream, counter);
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) (d ^ (d >>> 32)));
    }
}
