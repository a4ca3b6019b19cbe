package dev.gantry.eval;

import dev.gantry.classifier.FeatureSpace;
import java.util.Map;

/**
 * {@code kid-lenet10k}: the kernel distance of Bińkowski et al. (2018) in the frozen classifier's
 * features — the unbiased MMD² with the cubic polynomial kernel, mean ± s.d. over 100 subsets of
 * 1,000, as StyleGAN2-ADA's {@code kid50k} — between 10,000 samples and 10,000 reference images.
 */
public final class KidLenet10k extends ClassifierMetric {

    @Override
    public String name() {
        return "kid-lenet10k";
    }

    @Override
    public String description() {
        return "unbiased MMD^2, cubic kernel, on the classifier's features: 100 subsets of 1,000 (mean and s.d.)";
    }

    @Override
    public FeatureSpace featureSpace() {
        return FeatureSpace.PENULTIMATE;
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        float[] fake = ev.features(samples, SAMPLES, featureSpace());
        float[] real = ev.referenceFeatures(featureSpace());
        int f = fake.length / SAMPLES;
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(ev.manager(), real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.mean());
        o.put("sd", r.std());
        o.put("subsets", r.subsets());
        o.put("subset_size", r.subsetSize());
        return o;
    }
}
