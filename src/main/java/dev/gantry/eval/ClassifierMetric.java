package dev.gantry.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the metrics computed in a frozen classifier's space share: 10,000 samples, a network
 * that ships for the dataset (or one given), one image per sample (Stacked MNIST has its own
 * metric), and a record that names the network.
 */
abstract class ClassifierMetric implements Metric {

    static final int SAMPLES = 10_000;

    @Override
    public int samples() {
        return SAMPLES;
    }

    @Override
    public String unsuitable(Evaluation ev) {
        if (ev.dataset().name().equals("stacked-mnist")) {
            return name() + " judges one image per sample with a one-channel classifier; for Stacked MNIST use stacked-modes26k";
        }
        if (ev.dataset().classNames().isEmpty()) {
            return ev.dataset().name() + " has no classes: " + name() + " needs a classifier of the dataset";
        }
        return ev.networkUnavailable();
    }

    /** A result with the metric's name, value and the network that made it. */
    Map<String, Object> result(Evaluation ev, double value) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("metric", name() + ("valid".equals(ev.split()) ? "-valid" : ""));
        o.put("value", value);
        o.put("data", ev.dataset().name());
        o.put("samples", SAMPLES);
        o.putAll(ev.networkRecord());
        if (featureSpace() != null) {
            o.put("features", featureSpace().key());
        }
        return o;
    }
}
