package dev.gantry.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;
import dev.gantry.nn.Param;
import java.util.List;

/**
 * SGD with classical momentum and the schedules of the GAN paper's code (pylearn2):
 * v ← μ·v − lr·g, θ ← θ + v.
 *
 * <p>The learning rate is divided by {@code lr_decay} after every minibatch, floored at
 * {@code lr_min} (pylearn2 {@code ExponentialDecay}); the momentum μ stays at {@code momentum_init}
 * until epoch {@code momentum_start_epoch}, then rises linearly to {@code momentum_final} at
 * {@code momentum_saturate_epoch} (pylearn2 {@code MomentumAdjustor}).
 */
public final class SgdMomentum extends Optimizer {

    private final RunConfig.OptimConfig c;

    public SgdMomentum(NDManager manager, List<Param> params, RunConfig.OptimConfig c) {
        super(manager, params, "velocity");
        this.c = c;
    }

    @Override
    protected void update(int i, NDArray p, NDArray g, int epoch, NDManager scratch) {
        NDArray v = slot("velocity", i);
        v.muli((float) momentum(epoch)).subi(g.muli((float) learningRate()));
        p.addi(v);
    }

    /** Parameter i's velocity (for an update applied outside this class: the native step). */
    public NDArray velocity(int i) {
        return slot("velocity", i);
    }

    @Override
    public double learningRate() {
        return learningRate(c, updates);
    }

    /** lr after {@code t} updates: lr / decay^t, floored. */
    public static double learningRate(RunConfig.OptimConfig c, long t) {
        return Math.max(c.lr() / Math.pow(c.lrDecay(), t), c.lrMin());
    }

    @Override
    public double momentum(int epoch) {
        return momentum(c, epoch);
    }

    /** μ in {@code epoch} (0-based count of completed epochs). */
    public static double momentum(RunConfig.OptimConfig c, int epoch) {
        if (epoch <= c.momentumStartEpoch()) {
            return c.momentumInit();
        }
        double alpha = Math.min(1.0, (double) (epoch - c.momentumStartEpoch())
                / (c.momentumSaturateEpoch() - c.momentumStartEpoch()));
        return c.momentumInit() * (1 - alpha) + c.momentumFinal() * alpha;
    }
}
