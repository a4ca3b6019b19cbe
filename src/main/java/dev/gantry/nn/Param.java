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

    public long size() {
        return array.size();
    }
}
