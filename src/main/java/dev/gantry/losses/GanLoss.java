package dev.gantry.losses;

import ai.djl.ndarray.NDArray;
import dev.gantry.nn.Tensors;

/**
 * The losses of Goodfellow et al. (2014), computed from logits l with D = σ(l).
 *
 * <p>D minimises {@code scale · [−log D(x) − log(1 − D(G(z)))]} = scale · [softplus(−l_real) +
 * softplus(l_fake)]. G minimises either the minimax objective log(1 − D(G(z))) = −softplus(l_fake),
 * which saturates when D confidently rejects fakes, or the paper's non-saturating heuristic
 * −log D(G(z)) = softplus(−l_fake). Softplus of logits never takes log of a rounded probability
 * (DJL's BCE-from-probabilities also has a sign bug; see djl-notes.md).
 */
public final class GanLoss implements AdversarialLoss {

    /** Which objective G minimises. */
    public enum GeneratorObjective { NON_SATURATING, MINIMAX }

    private final GeneratorObjective objective;
    private final float dScale;

    public GanLoss(GeneratorObjective objective, double dScale) {
        this.objective = objective;
        this.dScale = (float) dScale;
    }

    /** From the config's names: "non-saturating" or "minimax". */
    public static GanLoss of(String generator, double dScale) {
        return new GanLoss(switch (generator) {
            case "non-saturating" -> GeneratorObjective.NON_SATURATING;
            case "minimax" -> GeneratorObjective.MINIMAX;
            default -> throw new IllegalArgumentException("unknown generator loss " + generator);
        }, dScale);
    }

    @Override
    public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
        NDArray real = softplus(realLogits.neg()).mean();   // −log D(x)
        NDArray fake = softplus(fakeLogits).mean();         // −log(1 − D(G(z)))
        return Tensors.times(real.add(fake), dScale);
    }

    @Override
    public NDArray generator(NDArray fakeLogits) {
        return switch (objective) {
            case NON_SATURATING -> softplus(fakeLogits.neg()).mean();   // −log D(G(z))
            case MINIMAX -> softplus(fakeLogits).mean().neg();          // log(1 − D(G(z)))
        };
    }

    public GeneratorObjective objective() {
        return objective;
    }

    static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }
}
