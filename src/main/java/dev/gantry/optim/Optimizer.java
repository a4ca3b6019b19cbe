package dev.gantry.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
    private final Map<String, NDArray> flatSlots = new LinkedHashMap<>();
    protected long updates;

    protected Optimizer(NDManager manager, List<Param> params, String... slotNames) {
        this(manager, params, false, slotNames);
    }

    /**
     * @param flat keep each slot as one flat buffer, every parameter's state a view of its part,
     *     so that an elementwise update can run over all parameters in a few engine calls
     *     ({@link #flatSlot}, {@link #updateAll})
     */
    protected Optimizer(NDManager manager, List<Param> params, boolean flat, String... slotNames) {
        this.manager = manager;
        this.params = params;
        long total = params.stream().mapToLong(Param::size).sum();
        for (String slot : slotNames) {
            List<NDArray> arrays = new ArrayList<>();
            NDArray buffer = flat ? manager.zeros(new ai.djl.ndarray.types.Shape(total)) : null;
            long offset = 0;
            for (Param p : params) {
                NDArray zero = flat
                        ? buffer.get(offset + ":" + (offset + p.size())).reshape(p.array().getShape())
                        : manager.zeros(p.array().getShape());
                offset += p.size();
                zero.setName(p.name() + "/" + slot);
                arrays.add(zero);
            }
            slots.put(slot, arrays);
            if (flat) {
                flatSlots.put(slot, buffer);
            }
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
        if (!flatSlots.isEmpty()) {
            try (NDManager scratch = manager.newSubManager()) {
                List<NDArray> grads = new ArrayList<>();
                for (Param p : params) {
                    NDArray g = p.array().getGradient();
                    g.attach(scratch);
                    grads.add(g);
                }
                updateAll(grads, epoch, scratch);
            }
            params.forEach(p -> JniUtils.zeroGrad((PtNDArray) p.array()));
            updates++;
            return;
        }
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
            if (!flatSlots.isEmpty()) {
                updateAll(grads, epoch, scratch);
            } else {
                for (int i = 0; i < params.size(); i++) {
                    update(i, params.get(i).array(), grads.get(i), epoch, scratch);
                }
            }
        }
        updates++;
    }

    /**
     * The update of every parameter at once, for an optimizer built with flat slots: the same
     * elementwise operations as {@link #update} on each, so the same bits.
     */
    protected void updateAll(List<NDArray> grads, int epoch, NDManager scratch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no flat update");
    }

    /** A slot's flat buffer (every parameter's state, in order), for {@link #updateAll}. */
    protected NDArray flatSlot(String name) {
        return flatSlots.get(name);
    }

    /** All gradients as one flat array, in parameter order, on {@code scratch}. */
    protected static NDArray flatten(List<NDArray> grads, NDManager scratch) {
        NDList parts = new NDList();
        for (NDArray g : grads) {
            parts.add(g.reshape(-1));
        }
        NDArray flat = ai.djl.ndarray.NDArrays.concat(parts, 0);
        flat.attach(scratch);
        return flat;
    }

    /** Subtracts each parameter's part of a flat update [total] from it, in place. */
    protected void subtractFlat(NDArray update) {
        long offset = 0;
        for (Param p : params) {
            NDArray part = update.get(offset + ":" + (offset + p.size())).reshape(p.array().getShape());
            p.array().subi(part);
            offset += p.size();
        }
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

    /**
     * Counts an update that was applied to the parameters and this optimizer's state from outside
     * ({@code train.backward = native}), so that the schedules move on as after {@link #step}.
     */
    public final void countUpdate() {
        updates++;
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
