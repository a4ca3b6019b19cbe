package dev.gantry.eval;

import dev.gantry.classifier.FeatureSpace;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code agreement10k}: how well a conditional generator draws the class it is asked for, and
 * whether each class keeps its diversity. 10,000 samples, an equal share per class (sample i of
 * class i mod K). Value: label agreement, the fraction of samples the frozen classifier assigns to
 * the class they were drawn for (Mirza & Osindero 2014 condition on the label; the classifier
 * judges whether the label took). Per class: agreement, the Fréchet distance of that class's
 * samples to that class's test images ({@code fc128}; about 1,000 each, so biased upwards next to
 * the 10k FID), and coverage (Naeem et al. 2020, k = 5, {@code conv2-avg64}) of that class's test
 * images by its samples — a class that collapses to a few images keeps its agreement and loses
 * its coverage.
 */
public final class Agreement10k extends ClassifierMetric {

    @Override
    public String name() {
        return "agreement10k";
    }

    @Override
    public String description() {
        return "conditional runs: fraction of 10,000 samples classified as the class they were drawn for (value); per class: agreement,"
                + " FID to that class's test images, coverage of them (k = 5)";
    }

    @Override
    public String unsuitable(Evaluation ev) {
        String why = super.unsuitable(ev);
        if (why != null) {
            return why;
        }
        return ev.sampleClasses() == 0
                ? name() + " judges a conditional generator: give a run trained with model.conditional = true (not --samples)" : null;
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        int k = ev.network().classes();
        int[] asked = ev.sampleLabels(SAMPLES);
        float[] p = ev.probabilities(samples, SAMPLES);
        int[] agree = new int[k];
        int[] count = new int[k];
        for (int i = 0; i < SAMPLES; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + best]) best = c;
            }
            count[asked[i]]++;
            if (best == asked[i]) agree[asked[i]]++;
        }
        float[] fc = ev.features(samples, SAMPLES, FeatureSpace.PENULTIMATE);
        float[] pooled = ev.features(samples, SAMPLES, FeatureSpace.POOLED);
        float[] refFc = ev.referenceFeatures(FeatureSpace.PENULTIMATE);
        float[] refPooled = ev.referenceFeatures(FeatureSpace.POOLED);
        int[] refLabels = ev.reference().labels();
        double[] agreement = new double[k];
        double[] fid = new double[k];
        double[] coverage = new double[k];
        int total = 0;
        for (int c = 0; c < k; c++) {
            agreement[c] = count[c] == 0 ? Double.NaN : agree[c] / (double) count[c];
            total += agree[c];
            int cc = c;
            int[] mine = rows(SAMPLES, i -> asked[i] == cc);
            int[] real = rows(refLabels.length, i -> refLabels[i] == cc);
            fid[c] = FrechetDistance.compute(select(refFc, real, FeatureSpace.PENULTIMATE.width()), real.length,
                    select(fc, mine, FeatureSpace.PENULTIMATE.width()), mine.length, FeatureSpace.PENULTIMATE.width()).distance();
            coverage[c] = DensityCoverage.compute(ev.manager(), select(refPooled, real, FeatureSpace.POOLED.width()), real.length,
                    select(pooled, mine, FeatureSpace.POOLED.width()), mine.length, FeatureSpace.POOLED.width()).coverage();
        }
        Map<String, Object> o = result(ev, total / (double) SAMPLES);
        o.put("classes", k);
        o.put("per_class_agreement", agreement);
        o.put("min_class_agreement", Arrays.stream(agreement).min().orElse(Double.NaN));
        o.put("per_class_fid", fid);
        o.put("per_class_coverage", coverage);
        o.put("min_class_coverage", Arrays.stream(coverage).min().orElse(Double.NaN));
        return o;
    }

    private static int[] rows(int n, java.util.function.IntPredicate keep) {
        return java.util.stream.IntStream.range(0, n).filter(keep).toArray();
    }

    private static float[] select(float[] features, int[] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * width, out, i * width, width);
        }
        return out;
    }
}
