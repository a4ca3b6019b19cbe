package dev.gantry.api;

import java.util.function.Consumer;

/**
 * Watches a training run, as DJL's training listeners do: called on the training thread, between
 * steps. Every method has a default that does nothing; {@link #everyEpoch} and
 * {@link #everyStats} make a listener from a lambda. A listener that throws stops training with
 * its exception (the checkpoint of the last completed epoch stays on disk).
 */
public interface TrainingListener {

    /**
     * After a step whose statistics were read: every {@code train.stats_every} steps.
     *
     * @param progress the run's position and the statistics just read
     */
    default void onStats(Progress progress) {}

    /**
     * After an epoch completes, once its sample grid and checkpoint are written.
     *
     * @param progress the run's position ({@code epoch} already counts this epoch)
     */
    default void onEpochEnd(Progress progress) {}

    /**
     * When training stops.
     *
     * @param progress the run's position at the end
     * @param outcome finished, interrupted or diverged
     */
    default void onEnd(Progress progress, TrainingResult.Outcome outcome) {}

    /**
     * A listener that runs {@code action} after every epoch.
     *
     * @param action what to do with the progress
     * @return the listener
     */
    static TrainingListener everyEpoch(Consumer<Progress> action) {
        java.util.Objects.requireNonNull(action, "action");
        return new TrainingListener() {
            @Override
            public void onEpochEnd(Progress progress) {
                action.accept(progress);
            }
        };
    }

    /**
     * A listener that runs {@code action} every {@code train.stats_every} steps.
     *
     * @param action what to do with the progress
     * @return the listener
     */
    static TrainingListener everyStats(Consumer<Progress> action) {
        java.util.Objects.requireNonNull(action, "action");
        return new TrainingListener() {
            @Override
            public void onStats(Progress progress) {
                action.accept(progress);
            }
        };
    }
}
