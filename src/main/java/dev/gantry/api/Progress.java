package dev.gantry.api;

/**
 * Where a training run stands, as a {@link TrainingListener} sees it. The scalars are those of
 * the newest statistics, read every {@code train.stats_every} steps (reading forces the engine to
 * synchronise); they are NaN before the first.
 *
 * @param step steps taken so far
 * @param epoch epochs completed
 * @param stepInEpoch steps taken in the current epoch
 * @param stepsPerEpoch steps in one epoch
 * @param targetEpochs the epoch training stops after ({@code train.epochs})
 * @param lossD the discriminator's loss
 * @param lossG the generator's loss
 * @param dReal mean D(x) on the real minibatch
 * @param dFake mean D(G(z)) on the fake minibatch
 * @param samplesPerSecond training images consumed per second
 */
public record Progress(long step, int epoch, int stepInEpoch, int stepsPerEpoch, int targetEpochs,
                       double lossD, double lossG, double dReal, double dFake, double samplesPerSecond) {

    /**
     * One line, as the command line's summary words it, with the epoch in progress (or just
     * completed) counted from 1.
     *
     * @return e.g. {@code epoch 2/2 step 20: loss_d 0.6843 loss_g 0.6936 D(x) 0.509 D(G(z)) 0.500}
     */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d step %d: loss_d %.4f loss_g %.4f D(x) %.3f D(G(z)) %.3f",
                stepInEpoch > 0 ? epoch + 1 : epoch, targetEpochs, step, lossD, lossG, dReal, dFake);
    }
}
