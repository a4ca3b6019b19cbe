package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Something that owns trainable parameters, in a fixed order (the order of checkpoints and optimizer state). */
public interface Module {

    List<Param> params();

    /** State that is not trained but must be saved with the parameters (e.g. running statistics). */
    default List<NDArray> buffers() {
        return List.of();
    }

    /** The parameters of {@code modules}, module by module in their order. */
    static List<Param> paramsOf(List<? extends Module> modules) {
        List<Param> all = new java.util.ArrayList<>();
        modules.forEach(m -> all.addAll(m.params()));
        return all;
    }

    /** The buffers of {@code modules}, module by module in their order. */
    static List<NDArray> buffersOf(List<? extends Module> modules) {
        List<NDArray> all = new java.util.ArrayList<>();
        modules.forEach(m -> all.addAll(m.buffers()));
        return all;
    }

    /** Total number of scalar parameters. */
    default long parameterCount() {
        return params().stream().mapToLong(Param::size).sum();
    }
}
