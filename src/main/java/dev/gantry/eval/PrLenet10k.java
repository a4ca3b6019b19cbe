package dev.gantry.eval;

import dev.gantry.classifier.FeatureSpace;
import java.util.Map;

/**
 * {@code pr-lenet10k}: improved precision and recall (Kynkäänniemi et al. 2019, k = 3) in the
 * frozen classifier's {@link FeatureSpace#POOLED} features (its second convolution's maps
 * averaged over positions: in the penultimate layer uniform noise and blurred digits pass for
 * real), 10,000 samples against 10,000 reference images. Value: precision
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
        return "precision (value) and recall, k = 3 (Kynkaanniemi et al. 2019), on the classifier's conv2 maps averaged over positions (64 values)";
    }

    @Override
    public FeatureSpace featureSpace() {
        return FeatureSpace.POOLED;
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        float[] fake = ev.features(samples, SAMPLES, featureSpace());
        float[] real = ev.referenceFeatures(featureSpace());
        int f = fake.length / SAMPLES;
        PrecisionRecall.Result r = PrecisionRecall.compute(ev.manager(), real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.precision());
        o.put("precision", r.precision());
        o.put("recall", r.recall());
        o.put("k", r.k());
        return o;
    }
}
