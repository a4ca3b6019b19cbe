package dev.gantry.train;

/**
 * Watches a training run: logging, sample grids, checkpoints, evaluations and progress live here,
 * not inside the loop.
 */
public interface TrainingListener {

    /** Before the first step (of this process: also called when a run resumes). */
    default void onStart(TrainingView trainer) {}

    /** After every step; {@code stats} is null on steps that did not read scalars. */
    default void onStep(TrainingView trainer, StepStats stats) {}

    /** After an epoch completes ({@code trainer.epoch()} already counts it). */
    default void onEpochEnd(TrainingView trainer) {}

    /** When training stops: finished, interrupted (Ctrl-C) or diverged. */
    default void onEnd(TrainingView trainer, GanTrainer.Outcome outcome) {}
}
