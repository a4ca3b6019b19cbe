package dev.gantry.eval;

import java.util.Map;

/**
 * {@code pr-lenet10k}: improved precision and recall (Kynkäänniemi et al. 2019, k = 3) in the
 * frozen classifier's features, 10,000 samples against 10,000 reference images. Value: precision
 * (how many samples fall on the real manifold); {@code recall}: how much of the real manifold the
 * samples cover. See {@link PrecisionRecall}.
 */
public final class PrLenet10k extends ClassifierMetric {

    @Override
    public String name() {
        return "pr-lenet10k";
    }

    @Override
    public String description() {
        return "precision (value) and recall, k = 3 (Kynkaanniemi et al. 2019), on the classifier's features";
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        float[] fake = ev.features(samples, SAMPLES);
        float[] real = ev.referenceFeatures();
        int f = fake.length / SAMPLES;
        PrecisionRecall.Result r = PrecisionRecall.compute(ev.manager(), real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.precision());
        o.put("precision", r.precision());
        o.put("recall", r.recall());
        o.put("k", r.k());
        return o;
    }
}
