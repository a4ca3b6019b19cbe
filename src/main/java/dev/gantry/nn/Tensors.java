package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

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

    /**
     * Sets every value of {@code target} in place, in row-major order.
     *
     * <p>Not through DJL's {@code NDArray.set(float[])}: its native side ({@code torchSet}) takes
     * PyTorch's deprecated {@code AutoNonVariableTypeMode} guard, whose constructor prints
     * "AutoNonVariableTypeMode is deprecated ..." to the process's stderr (once a process), and
     * makes the tensor wrap a Java direct buffer instead of its own storage. Here the values go
     * into a temporary tensor and are copied over the whole target ({@code index_put_}), bit for
     * bit; the target keeps its storage, its name and whether it requires a gradient. Works on any
     * thread, whatever its grad mode (restored afterwards).
     */
    public static void setValues(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for a tensor of shape " + target.getShape());
        }
        if (target.getShape().dimension() == 0) {
            throw new IllegalArgumentException("setValues needs a tensor of rank 1 or more, got a scalar");
        }
        // An in-place write to a parameter (a leaf that requires a gradient) is refused while grad
        // mode is on, which it is on any thread but the one the engine was loaded on.
        boolean gradMode = JniUtils.isGradMode();
        if (gradMode) {
            JniUtils.setGradMode(false);
        }
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray source = scratch.create(values, target.getShape());
            target.set(new NDIndex(":"), source);   // all of it: index_put_ takes no empty index
        } finally {
            if (gradMode) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /** {@code x · c}, with {@code c} held by the engine. */
    public static NDArray times(NDArray x, double c) {
        return x.mul(x.getManager().full(new Shape(), (float) c));
    }
}
