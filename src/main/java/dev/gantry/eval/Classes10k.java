package dev.gantry.eval;

import java.util.Map;

/**
 * {@code classes10k}: the class histogram of 10,000 samples under the dataset's frozen classifier
 * — MNIST's mode-collapse meter. Value: classes covered (a class counts when at least 1 % of the
 * samples are assigned to it with confidence ≥ 0.9); also KL(histogram of confident samples ‖
 * uniform) and the fraction of confident samples. See {@link ClassHistogram}.
 */
public final class Classes10k extends ClassifierMetric {

    @Override
    public String name() {
        return "classes10k";
    }

    @Override
    public String description() {
        return "classes covered by 10,000 samples under the frozen classifier (>= 1 % of samples at confidence >= 0.9), KL to uniform, % confident";
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        int k = ev.network().classes();
        ClassHistogram.Result r = ClassHistogram.compute(ev.probabilities(samples, SAMPLES), SAMPLES, k);
        Map<String, Object> o = result(ev, r.classesCovered());
        o.put("classes", k);
        o.put("kl_uniform", r.klToUniform());
        o.put("confident", r.confidentFraction());
        o.put("histogram", r.counts());
        return o;
    }
}
