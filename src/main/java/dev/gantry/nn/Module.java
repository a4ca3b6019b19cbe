package dev.gantry.nn;

import java.util.List;

/** Something that owns trainable parameters, in a fixed order (the order of checkpoints and optimizer state). */
public interface Module {

    List<Param> params();

    /** Total number of scalar parameters. */
    default long parameterCount() {
        return params().stream().mapToLong(Param::size).sum();
    }
}
