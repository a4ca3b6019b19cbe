package dev.gantry.eval;

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
     * Why the metric cannot judge samples of this evaluation's dataset, or null when it can (e.g.
     * a classifier-based metric on a dataset without a classifier).
     */
    default String unsuitable(Evaluation ev) {
        return null;
    }

    /**
     * The layer of the frozen classifier whose features the metric measures in (written by
     * {@code --features}), or null when it measures none.
     */
    default dev.gantry.classifier.FeatureSpace featureSpace() {
        return null;
    }

    /**
     * Computes the metric.
     *
     * @param samples [n, C·H·W] in [0, 1], channel-major rows; n is at least {@link #samples()}
     *     and the metric uses the first {@link #samples()}
     * @return the result as an ordered map of plain values, with at least {@code metric} and
     *     {@code value}; written as one line of a run's metrics.jsonl
     */
    Map<String, Object> compute(float[] samples, int n, Evaluation ev);
}
