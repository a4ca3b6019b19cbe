package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a plain number that is safe under autograd.
 *
 * <p>DJL's {@code mul(Number)}, {@code div(Number)} and {@code pow(Number)} wrap the number in a
 * tensor over a Java direct buffer ({@code from_blob}, no copy) and close it as soon as the call
 * returns; the buffer is freed at the next garbage collection. Autograd, though, keeps that
 * tensor to compute the backward pass of a product, quotient or power, and then reads freed
 * memory: a collection between forward and backward scales a gradient by garbage (seen as rare,
 * unrepeatable NaNs in long runs; see docs/design-notes.md). Here the number lives in
 * engine-owned memory ({@code torch::full}) that the graph keeps alive. Addition and subtraction
 * of a number save nothing for backward and need no such care.
 */
public final class Tensors {

    private Tensors() {}

    /** {@code x · c}, with {@code c} held by the engine. */
    public static NDArray times(NDArray x, double c) {
        return x.mul(x.getManager().full(new Shape(), (float) c));
    }
}
