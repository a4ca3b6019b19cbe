package dev.gantry.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.gantry.config.RunConfig;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates one network's parameters from their gradients and keeps the state that needs (momentum,
 * moments, the update count), so that a checkpoint can restore it exactly.
 *
 * <p>Each network gets its own instance: Adam's bias correction and SGD's learning-rate decay count
 * that network's updates. After an update the gradients are zeroed, because the PyTorch engine
 * accumulates gradients across backward passes (djl-notes.md).
 */
public abstract class Optimizer {

    protected final List<Param> params;
    protected final NDManager manager;
    private final Map<String, List<NDArray>> slots = new LinkedHashMap<>();
    protected long updates;

    protected Optimizer(NDManager manager, List<Param> params, String... slotNames) {
        this.manager = manager;
        this.params = params;
        for (String slot : slotNames) {
            List<NDArray> arrays = new ArrayList<>();
            for (Param p : params) {
                NDArray zero = manager.zeros(p.array().getShape());
                zero.setName(p.name() + "/" + slot);
                arrays.add(zero);
            }
            slots.put(slot, arrays);
        }
    }

    /** Builds the optimizer a config names. */
    public static Optimizer create(NDManager manager, List<Param> params, RunConfig.OptimConfig c) {
        return switch (c.name()) {
            case "sgd" -> new SgdMomentum(manager, params, c);
            case "adam" -> new Adam(manager, params, c);
            default -> throw new IllegalArgumentException("unknown optimizer " + c.name());
        };
    }

    /** State arrays per parameter of the optimizer a config names (velocity; m and v), each of the parameter's size. */
    public static int slotsPerParameter(RunConfig.OptimConfig c) {
        return switch (c.name()) {
            case "sgd" -> 1;
            case "adam" -> 2;
            default -> throw new IllegalArgumentException("unknown optimizer " + c.name());
        };
    }

    /** Applies one update from the accumulated gradients, then zeroes them. */
    public final void step(int epoch) {
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i).array();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(scratch);
                update(i, p, g, epoch, scratch);
            }
            JniUtils.zeroGrad((PtNDArray) p);
        }
        updates++;
    }

    /**
     * Applies one update from gradients computed outside autograd (a hand-written backward pass),
     * one per parameter in order; the parameters' own gradient fields are neither read nor
     * changed. The arrays in {@code grads} may be overwritten.
     */
    public final void step(int epoch, List<NDArray> grads) {
        if (grads.size() != params.size()) {
            throw new IllegalArgumentException(grads.size() + " gradients for " + params.size() + " parameters");
        }
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < params.size(); i++) {
                update(i, params.get(i).array(), grads.get(i), epoch, scratch);
            }
        }
        updates++;
    }

    /**
     * Updates parameter {@code i} in place. The gradient {@code g} may be overwritten; temporaries
     * must be created from {@code g} or attached to {@code scratch} so they are freed.
     */
    protected abstract void update(int i, NDArray p, NDArray g, int epoch, NDManager scratch);

    /** The learning rate the next update will use. */
    public abstract double learningRate();

    /** The momentum (SGD) or β1 (Adam) the next update will use in {@code epoch}. */
    public abstract double momentum(int epoch);

    protected NDArray slot(String name, int i) {
        return slots.get(name).get(i);
    }

    /** Number of updates applied so far. */
    public long updates() {
        return updates;
    }

    public void setUpdates(long updates) {
        this.updates = updates;
    }

    /** All state arrays, named {@code <param>/<slot>}, for checkpoints. */
    public List<NDArray> stateArrays() {
        List<NDArray> all = new ArrayList<>();
        slots.values().forEach(all::addAll);
        return all;
    }
}
