package dev.gantry.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.nn.Module;

/** A network with one output per input row: a discriminator's logit or a one-dimensional generator's sample. */
public interface ScalarNet extends Module {

    /** x [B, in] → [B]; with {@code frozen} the parameters are cut from the graph (gradients flow to x only). */
    NDArray forward(NDArray x, boolean frozen);

    /** The outputs at the rows of {@code xs} ({@code [n, in]}, row-major), without gradients. */
    double[] evaluate(NDManager manager, float[] xs);
}
