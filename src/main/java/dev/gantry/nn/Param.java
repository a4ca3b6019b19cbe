package dev.gantry.nn;

import ai.djl.ndarray.NDArray;

/**
 * A named trainable tensor.
 *
 * <p>Gantry keeps parameters as plain arrays rather than DJL blocks: the trainer needs to run one
 * network with its parameters cut from the graph (D during G's step), to reuse dropout masks across
 * passes, and to save optimizer state beside each parameter, none of which DJL's blocks expose.
 */
public final class Param {

    private final String name;
    private final NDArray array;

    public Param(String name, NDArray array) {
        this.name = name;
        this.array = array;
        array.setName(name);
        array.setRequiresGradient(true);
    }

    public String name() {
        return name;
    }

    public NDArray array() {
        return array;
    }

    /** The array for a forward pass: tracked by autograd, or cut from the graph when {@code frozen}. */
    public NDArray use(boolean frozen) {
        return frozen ? array.stopGradient() : array;
    }

    /**
     * Like {@link #use}, but a detached view is attached to {@code scope} (the pass's manager):
     * the engine would otherwise attach it to the parameter's long-lived manager, one leaked
     * handle per frozen pass.
     */
    public NDArray use(boolean frozen, ai.djl.ndarray.NDManager scope) {
        if (!frozen) {
            return array;
        }
        NDArray detached = array.stopGradient();
        detached.attach(scope);
        return detached;
    }

    public long size() {
        return array.size();
    }
}
