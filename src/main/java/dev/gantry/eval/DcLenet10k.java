package dev.gantry.eval;

import java.util.Map;

/**
 * {@code dc-lenet10k}: density and coverage (Naeem et al. 2020, k = 5) in the frozen classifier's
 * features, 10,000 samples against 10,000 reference images. Value: coverage (the fraction of real
 * neighbourhoods holding a sample, the recall that outliers cannot inflate); {@code density}.
 * See {@link DensityCoverage}.
 */
public final class DcLenet10k extends ClassifierMetric {

    @Override
    public String name() {
        return "dc-lenet10k";
    }

    @Override
    public String description() {
        return "coverage (value) and density, k = 5 (Naeem et al. 2020), on the classifier's features";
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        float[] fake = ev.features(samples, SAMPLES);
        float[] real = ev.referenceFeatures();
        int f = fake.length / SAMPLES;
        DensityCoverage.Result r = DensityCoverage.compute(ev.manager(), real, real.length / f, fake, SAMPLES, f);
        Map<String, Object> o = result(ev, r.coverage());
        o.put("coverage", r.coverage());
        o.put("density", r.density());
        o.put("k", r.k());
        return o;
    }
}
