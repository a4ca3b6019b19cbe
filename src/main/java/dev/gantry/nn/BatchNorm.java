package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Batch normalisation over the batch axis of [B, features] (Ioffe &amp; Szegedy, 2015), as used in
 * the generators of DCGAN and of PacGAN's 2D experiments; and per channel over the batch and
 * spatial axes of [B, C, H, W], as DCGAN's convolutional layers use it (torch's BatchNorm2d).
 *
 * <p>Training passes normalise with the batch's statistics and fold them into running averages
 * (momentum 0.1, unbiased variance, as torch's BatchNorm1d); evaluation passes use the running
 * averages. The running averages are buffers: saved in checkpoints, never trained.
 */
public final class BatchNorm implements Module {

    /** ε under the square root. */
    public static final float EPS = 1e-5f;
    /** Weight of a batch's statistics in the running averages. */
    public static final float MOMENTUM = 0.1f;

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

    /**
     * x [B, features] → [B, features], or x [B, C, H, W] → [B, C, H, W] normalised per channel
     * over the batch and both spatial axes (as torch's BatchNorm2d; features = C).
     */
    public NDArray forward(NDArray x, boolean training, boolean frozen) {
        if (x.getShape().dimension() == 4) {
            return forward2d(x, training, frozen);
        }
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

    /** What a traced training pass keeps for {@link #backward}: x̂ and √(var + ε) of the batch, and the output. */
    public record Trace(NDArray normalised, NDArray std, NDArray output) {}

    /**
     * A training pass over [B, features] outside autograd, for a hand-written backward: the same
     * operations as {@link #forward} with {@code training}, running averages folded in the same way.
     */
    public Trace trace(NDArray x) {
        NDArray mean = x.mean(new int[] {0});                                // [features]
        NDArray centred = x.sub(mean);
        NDArray var = centred.square().mean(new int[] {0});                 // biased, for normalising
        long b = x.getShape().get(0);
        float unbias = b > 1 ? (float) b / (b - 1) : 1f;
        runningMean.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
        runningVar.muli(1 - MOMENTUM).addi(var.mul(unbias).mul(MOMENTUM));
        NDArray std = x.getManager().create(EPS).add(var).sqrt();
        NDArray normalised = centred.div(std);
        return new Trace(normalised, std, normalised.mul(gamma.array()).add(beta.array()));
    }

    /**
     * From gOut [B, features] at the output of a traced pass: {input gradient [B, features], ∂γ,
     * ∂β}, with the batch statistics differentiated: ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂)) / std.
     */
    public NDArray[] backward(Trace t, NDArray gOut) {
        NDArray gGamma = gOut.mul(t.normalised()).sum(new int[] {0});
        NDArray gBeta = gOut.sum(new int[] {0});
        NDArray gHat = gOut.mul(gamma.array());
        NDArray gx = gHat.sub(gHat.mean(new int[] {0}))
                .sub(t.normalised().mul(gHat.mul(t.normalised()).mean(new int[] {0})))
                .div(t.std());
        return new NDArray[] {gx, gGamma, gBeta};
    }

    /**
     * The [B, C, H, W] case, kept apart so that the [B, features] path stays exactly as it was:
     * statistics over n = B·H·W values per channel, biased variance for normalising, unbiased
     * (n/(n−1)) folded into the running variance; parameters and running averages broadcast as
     * [1, C, 1, 1]. Arrays derived from them are moved onto the input's manager.
     */
    private NDArray forward2d(NDArray x, boolean training, boolean frozen) {
        NDManager scope = x.getManager();
        Shape shape = x.getShape();
        long channels = shape.get(1);
        long n = shape.get(0) * shape.get(2) * shape.get(3);
        NDArray mean;
        NDArray var;
        if (training) {
            mean = channelMean(x, n);                                        // [1, C, 1, 1]
            var = channelMean(x.sub(mean).square(), n);                      // [1, C, 1, 1], biased, for normalising
            float unbias = n > 1 ? (float) n / (n - 1) : 1f;
            NDArray m = mean.stopGradient().reshape(channels);               // [C]
            NDArray v = var.stopGradient().reshape(channels).mul(unbias);    // [C], unbiased
            runningMean.muli(1 - MOMENTUM).addi(m.mul(MOMENTUM));
            runningVar.muli(1 - MOMENTUM).addi(v.mul(MOMENTUM));
        } else {
            mean = onScope(runningMean.reshape(1, channels, 1, 1), scope);   // [1, C, 1, 1]
            var = onScope(runningVar.reshape(1, channels, 1, 1), scope);     // [1, C, 1, 1]
        }
        NDArray normalised = x.sub(mean).div(scope.create(EPS).add(var).sqrt());
        NDArray g = onScope(gamma.use(frozen, scope).reshape(1, channels, 1, 1), scope);  // [1, C, 1, 1]
        NDArray b = onScope(beta.use(frozen, scope).reshape(1, channels, 1, 1), scope);   // [1, C, 1, 1]
        return normalised.mul(g).add(b);
    }

    /**
     * Mean over axes 0, 2, 3 keeping them as 1: [B, C, H, W] → [1, C, 1, 1]. The engine's
     * {@code mean} takes one axis only; {@code sum} takes several, and the divisor is an
     * engine-held scalar (see {@link Tensors}).
     */
    private static NDArray channelMean(NDArray x, long n) {
        return x.sum(new int[] {0, 2, 3}, true).div(x.getManager().full(new Shape(), (float) n));
    }

    private static NDArray onScope(NDArray derived, NDManager scope) {
        if (derived.getManager() != scope) {
            derived.attach(scope);
        }
        return derived;
    }

    /** γ, the scale. */
    public Param gamma() {
        return gamma;
    }

    /** β, the shift. */
    public Param beta() {
        return beta;
    }

    /** The running mean (a buffer). */
    public NDArray runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance (a buffer). */
    public NDArray runningVar() {
        return runningVar;
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
