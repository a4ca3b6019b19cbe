package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Batch normalisation over the batch axis of [B, features] (Ioffe &amp; Szegedy, 2015), as used in
 * the generators of DCGAN and of PacGAN's 2D experiments.
 *
 * <p>Training passes normalise with the batch's statistics and fold them into running averages
 * (momentum 0.1, unbiased variance, as torch's BatchNorm1d); evaluation passes use the running
 * averages. The running averages are buffers: saved in checkpoints, never trained.
 */
public final class BatchNorm implements Module {

    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    private final Param gamma;
    private final Param beta;
    private final NDArray runningMean;
    private final NDArray runningVar;

    public BatchNorm(NDManager manager, String name, int features) {
        gamma = new Param(name + ".gamma", manager.ones(new Shape(features)));
        beta = new Param(name + ".beta", manager.zeros(new Shape(features)));
        runningMean = manager.zeros(new Shape(features));
        runningMean.setName(name + ".running_mean");
        runningVar = manager.ones(new Shape(features));
        runningVar.setName(name + ".running_var");
    }

    /** x [B, features] → [B, features]. */
    public NDArray forward(NDArray x, boolean training, boolean frozen) {
        NDArray mean;
        NDArray var;
        if (training) {
            mean = x.mean(new int[] {0});                                    // [features]
            var = x.sub(mean).square().mean(new int[] {0});                  // biased, for normalising
            long b = x.getShape().get(0);
            float unbias = b > 1 ? (float) b / (b - 1) : 1f;
            NDArray m = mean.stopGradient();
            NDArray v = var.stopGradient().mul(unbias);
            runningMean.muli(1 - MOMENTUM).addi(m.mul(MOMENTUM));
            runningVar.muli(1 - MOMENTUM).addi(v.mul(MOMENTUM));
        } else {
            mean = runningMean;
            var = runningVar;
        }
        NDArray normalised = x.sub(mean).div(x.getManager().create(EPS).add(var).sqrt());
        return normalised.mul(gamma.use(frozen, x.getManager())).add(beta.use(frozen, x.getManager()));
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public List<NDArray> buffers() {
        return List.of(runningMean, runningVar);
    }
}
