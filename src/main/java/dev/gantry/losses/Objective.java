package dev.gantry.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.models.Discriminator;
import dev.gantry.nn.Param;
import dev.gantry.nn.Tensors;

/**
 * The adversarial objective as named phases, as in StyleGAN2-ADA's {@code loss.py}: D's main
 * term, D's regulariser (the WGAN-GP gradient penalty), what follows every D update (WGAN's
 * weight clipping), and G's main term. The trainer only walks its schedule through these phases.
 */
public final class Objective {

    private final AdversarialLoss loss;
    private final double gpWeight;
    private final float clip;

    /**
     * @throws BadInputException when the penalty is asked of a discriminator that cannot give it
     */
    public Objective(RunConfig.LossConfig c, Discriminator d) {
        this.loss = Losses.of(c);
        this.gpWeight = c.gpWeight();
        this.clip = (float) c.clip();
        String unavailable = d.inputGradientUnavailable();
        if (gpWeight > 0 && unavailable != null) {
            throw new BadInputException("loss.gp_weight = " + gpWeight + ": " + unavailable);
        }
    }

    public AdversarialLoss loss() {
        return loss;
    }

    /** Phase D main: D's loss from its logits on a real and a fake batch [B]. */
    public NDArray discriminatorMain(NDArray realLogits, NDArray fakeLogits) {
        return loss.discriminator(realLogits, fakeLogits);
    }

    /**
     * Phases D main + D regularisation: with {@code loss.gp_weight} > 0, the WGAN-GP penalty
     * (Gulrajani et al., 2017) λ·E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = αx + (1−α)G(z), one α ~ U(0, 1) per
     * example, is added to D's main term. The input gradient is D's hand-written backward pass, so
     * the penalty needs only first-order autograd.
     *
     * @param real [B, C, H, W]
     * @param fake [B, C, H, W], cut from G's graph
     */
    public NDArray discriminatorLoss(NDManager sm, Discriminator d, NDArray realLogits, NDArray fakeLogits,
                                     NDArray real, NDArray fake) {
        return discriminatorLoss(sm, d, realLogits, fakeLogits, real, fake, null);
    }

    /**
     * As {@link #discriminatorLoss(NDManager, Discriminator, NDArray, NDArray, NDArray, NDArray)}
     * for a conditional D whose real and fake rows share the labels y [B, K] (the penalty is taken
     * at D(·, y)); y is null for an unconditional D.
     */
    public NDArray discriminatorLoss(NDManager sm, Discriminator d, NDArray realLogits, NDArray fakeLogits,
                                     NDArray real, NDArray fake, NDArray y) {
        NDArray main = discriminatorMain(realLogits, fakeLogits);
        if (gpWeight <= 0) {
            return main;
        }
        long b = real.getShape().get(0);
        NDArray alpha = sm.randomUniform(0f, 1f, new Shape(b, 1, 1, 1));                 // [B, 1, 1, 1]
        NDArray xhat = real.mul(alpha).add(fake.mul(alpha.neg().add(1)));                // [B, C, H, W]
        NDArray grad = d.inputGradient(xhat, y, d.sampleMasks(sm, (int) b)).reshape(b, -1); // [B, C·H·W]
        NDArray norm = grad.square().sum(new int[] {1}).add(1e-12f).sqrt();             // [B]
        return main.add(Tensors.times(norm.sub(1).square().mean(), gpWeight));
    }

    /** Phase G main: G's loss from D's logits on a fake batch [B]. */
    public NDArray generatorLoss(NDArray fakeLogits) {
        return loss.generator(fakeLogits);
    }

    /** After every D update: WGAN's weight clipping (Arjovsky et al., 2017), every D parameter into [−c, c]. */
    public void afterDiscriminatorStep(Discriminator d) {
        if (clip <= 0) {
            return;
        }
        for (Param p : d.params()) {
            NDArray a = p.array();
            try (NDArray clipped = a.clip(-clip, clip)) {
                a.muli(0).addi(clipped);
            }
        }
    }
}
