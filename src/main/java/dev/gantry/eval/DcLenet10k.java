package dev.gantry.eval;

import dev.gantry.classifier.FeatureSpace;
import java.util.Map;

/**
 * {@code dc-lenet10k}: density and coverage (Naeem et al. 2020, k = 5) in the frozen classifier's
 * {@link FeatureSpace#POOLED} features (its second convolution's maps averaged over positions: in
 * the penultimate layer uniform noise and blurred digits pass for real), 10,000 samples against
 * 10,000 reference images. Value: coverage (the fraction of real neighbourhoods holding a sample,
 * the recall that outliers cannot inflate); {@code density}.
 * See {@link DensityCoverage}.
 */
public final class DcLenet10k extends ClassifierMetric {

    @Override
    public String name() {
        return "dc-lenet10k";
    }

    @Override
    public String description() {
        return "coverage (value) and density, k = 5 (Naeem et al. 2020), on the classifier's conv2 maps averaged over positions (64 values)";
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
        DensityCoverage.Result r = DensityCoverage.compute(ev.manager(), real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.coverage());
        o.put("coverage", r.coverage());
        o.put("density", r.density());
        o.put("k", r.k());
        return o;
    }
}
