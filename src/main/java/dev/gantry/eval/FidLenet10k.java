package dev.gantry.eval;

import dev.gantry.classifier.FeatureSpace;
import java.util.Map;

/**
 * {@code fid-lenet10k}: the Fréchet distance (Heusel et al. 2017) between Gaussians fitted to the
 * frozen classifier's penultimate features of 10,000 samples and of 10,000 reference images. The
 * FID of papers uses Inception features on natural images; this is its MNIST-domain analogue and
 * its scale is not theirs. See {@link FrechetDistance}.
 */
public final class FidLenet10k extends ClassifierMetric {

    @Override
    public String name() {
        return "fid-lenet10k";
    }

    @Override
    public String description() {
        return "Frechet distance of the classifier's 128-d features: 10,000 samples against 10,000 reference images";
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
        FrechetDistance.Result r = FrechetDistance.compute(real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.distance());
        o.put("mean_term", r.meanTerm());
        o.put("trace_term", r.traceTerm());
        o.put("reference", real.length / f);
        return o;
    }
}
