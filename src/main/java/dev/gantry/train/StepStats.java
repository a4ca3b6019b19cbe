package dev.gantry.train;

/**
 * Scalars read from one training step (only every {@code stats_every} steps: reading forces a sync).
 *
 * @param dReal mean D(x) on the real batch
 * @param dFake mean D(G(z)) on the fake batch of D's step
 * @param gradNormG L2 norm of all of G's gradients before the update
 * @param samplesPerSecond real examples consumed per second since the previous stats
 */
public record StepStats(long step, int epoch, double lossD, double lossG, double dReal, double dFake,
                        double gradNormG, double gradNormD, double lr, double momentum, double samplesPerSecond) {

    /** True when a loss is NaN or infinite: training has diverged. */
    public boolean diverged() {
        return !Double.isFinite(lossD) || !Double.isFinite(lossG);
    }
}
