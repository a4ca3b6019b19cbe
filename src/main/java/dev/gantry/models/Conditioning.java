package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Class labels as networks take them: one-hot rows [B, K]. */
public final class Conditioning {

    private Conditioning() {}

    /** One-hot rows [n, k] for {@code labels} (each in [0, k)), made in Java: one engine call. */
    public static NDArray oneHot(NDManager manager, int[] labels, int k) {
        float[] v = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not one of the " + k + " classes");
            }
            v[i * k + labels[i]] = 1f;
        }
        return manager.create(v, new Shape(labels.length, k));
    }

    /** The balanced labels Gantry samples with when no class is asked for: row i gets classes[i mod |classes|]. */
    public static int[] cycle(int n, int[] classes) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = classes[i % classes.length];
        }
        return out;
    }

    /** 0, 1, …, k − 1. */
    public static int[] all(int k) {
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = i;
        }
        return c;
    }

    /** Checks that y is null for an unconditional network (k = 0) and one-hot [B, k] for a conditional one. */
    static void check(NDArray y, int k, String who) {
        if (k == 0 && y != null) {
            throw new IllegalArgumentException("an unconditional " + who + " takes no labels");
        }
        if (k > 0 && (y == null || y.getShape().dimension() != 2 || y.getShape().get(1) != k)) {
            throw new IllegalArgumentException("a conditional " + who + " of " + k + " classes needs one-hot labels [B, " + k + "]"
                    + (y == null ? "; got none" : "; got " + y.getShape()));
        }
    }
}
