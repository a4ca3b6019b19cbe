package dev.gantry.train;

import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageSet;

/**
 * What a {@link TrainingListener} sees of a run: where it is, what it last measured, samples from
 * G, and the state a checkpoint holds. Not the loop, the optimizers' steps or the networks'
 * internals.
 */
public interface TrainingView {

    RunConfig config();

    /** The training images. */
    ImageSet data();

    /** Steps taken so far. */
    long step();

    /** Epochs completed. */
    int epoch();

    /** Steps taken in the current epoch. */
    int stepInEpoch();

    int stepsPerEpoch();

    /** The newest statistics, or null before the first. */
    StepStats lastStats();

    /** G's samples from the fixed noise batch (grid_side² of them, CHW rows): comparable across epochs. */
    float[] fixedSamples();

    /** n samples [n, C·H·W] with the engine's RNG as it stands (evaluation pass, no gradient). */
    float[] generate(int n);

    /** Whether the run keeps a moving average of G's parameters ({@code train.g_average} > 0). */
    default boolean keepsAveragedGenerator() {
        return false;
    }

    /** As {@link #generate}, from G with the moving average of its parameters; only when {@link #keepsAveragedGenerator}. */
    default float[] generateAveraged(int n) {
        throw new IllegalStateException("this run keeps no average of G's parameters (train.g_average = 0)");
    }

    /** As {@link #fixedSamples}, from G with the moving average of its parameters; only when {@link #keepsAveragedGenerator}. */
    default float[] fixedSamplesAveraged() {
        throw new IllegalStateException("this run keeps no average of G's parameters (train.g_average = 0)");
    }

    /** Everything a checkpoint holds, as it stands now. */
    TrainingState state();

    /** Asks the loop to stop after the current step. */
    void requestStop();
}
