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

    /** Total number of scalar parameters. */
    default long parameterCount() {
        return params().stream().mapToLong(Param::size).sum();
    }
}
