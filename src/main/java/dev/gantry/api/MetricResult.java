package dev.gantry.api;

import java.util.Map;

/**
 * A metric's result: its name as the protocol gives it, its headline value, and every field the
 * metric reports, as one line of a run's metrics.jsonl holds them.
 *
 * @param metric the name the result carries (e.g. {@code parzen10k-test}: the protocol and the
 *     split of the reference images)
 * @param value the headline value (for {@code parzen10k}, the mean log-likelihood in nats)
 * @param fields every field, in the metric's order (e.g. {@code se} and {@code sigma} for
 *     {@code parzen10k}); unmodifiable
 */
public record MetricResult(String metric, double value, Map<String, Object> fields) {

    /**
     * A result from a metric's fields.
     *
     * @param metric the result's name
     * @param value the headline value
     * @param fields every field; copied
     */
    public MetricResult {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /**
     * One line: the name and the value.
     *
     * @return e.g. {@code parzen10k-test 225.1234}
     */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %.4f", metric, value);
    }
}
