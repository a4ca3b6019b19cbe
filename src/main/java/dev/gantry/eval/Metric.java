package dev.gantry.eval;

import dev.gantry.data.Dataset;
import java.io.PrintStream;
import java.util.Map;

/**
 * A named evaluation protocol (registered in {@link Metrics}): what it computes from a
 * generator's samples against a dataset's held-out images. Names encode the protocol, as in
 * StyleGAN2-ADA's {@code metric_main.py}: {@code parzen10k} is the Parzen window with 10,000
 * samples.
 */
public interface Metric {

    /** The registry name, e.g. {@code parzen10k}. */
    String name();

    /** One line: what it measures and the protocol it follows. */
    String description();

    /** How many generator samples the protocol draws. */
    int samples();

    /**
     * Why the metric cannot judge samples of {@code dataset}, or null when it can (e.g. a
     * classifier-based metric on a dataset without a classifier).
     */
    default String unsuitableFor(Dataset dataset) {
        return null;
    }

    /**
     * Computes the metric.
     *
     * @param samples [n, C·H·W] in [0, 1], channel-major rows; n is at least {@link #samples()}
     * @return the result as an ordered map of plain values, with at least {@code metric} and
     *     {@code value}; written as one line of a run's metrics.jsonl
     */
    Map<String, Object> compute(float[] samples, int n, Reference reference);

    /**
     * Where the reference images come from.
     *
     * @param split "test" (the protocol's report) or "valid" (for choosing checkpoints without touching test)
     */
    record Reference(Dataset dataset, Dataset.Request request, String split, PrintStream log) {}
}
