package dev.gantry.eval;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code parzen10k}: the Parzen-window log-likelihood of Goodfellow et al. (2014), Table 1, as the
 * authors' {@code parzen_ll.py} computes it (protocols.md §2): 10,000 samples as kernel centres,
 * σ chosen from logspace(−1, 0, 10) on the first 1,000 validation images, the test images' mean
 * log-likelihood and its standard error reported. With split "valid" the other validation
 * images are scored instead, for choosing a checkpoint without touching test.
 */
public final class Parzen10k implements Metric {

    public static final int SAMPLES = 10_000;
    static final int SELECTION_POINTS = 1000;

    @Override
    public String name() {
        return "parzen10k";
    }

    @Override
    public String description() {
        return "Parzen-window log-likelihood (nats) of the test images under 10,000 samples, sigma chosen on valid[0:1000] (Goodfellow et al. 2014, Table 1)";
    }

    @Override
    public int samples() {
        return SAMPLES;
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        return compute(samples, Math.min(n, SAMPLES), ev, null);
    }

    /** As {@link #compute(float[], int, Evaluation)} on all n samples, with a fixed σ when {@code sigma} is not null. */
    public Map<String, Object> compute(float[] samples, int n, Evaluation ref, Double sigma) {
        ImageSet validAll = ref.dataset().load(Split.VALID, ref.request());
        if (validAll.n() <= SELECTION_POINTS) {
            throw new BadInputException(ref.dataset().name() + "'s validation split has " + validAll.n()
                    + " images; parzen10k needs more than " + SELECTION_POINTS);
        }
        ImageSet selection = validAll.slice(0, SELECTION_POINTS);
        ImageSet scored = ref.split().equals("test") ? ref.dataset().load(Split.TEST, ref.request())
                : validAll.slice(SELECTION_POINTS, validAll.n());
        int dim = ref.dataset().shape().dim();
        if (samples.length != (long) n * dim) {
            samples = java.util.Arrays.copyOf(samples, n * dim);
        }
        long start = System.nanoTime();
        ParzenWindow.Result r;
        try (NDManager manager = NDManager.newBaseManager();
             ParzenWindow parzen = new ParzenWindow(manager, samples, n, dim)) {
            double[] grid = sigma == null ? ParzenWindow.PAPER_SIGMA_GRID : new double[] {sigma};
            r = parzen.evaluate(selection.pixels(), selection.n(), scored.pixels(), scored.n(), grid);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean paperSplit = List.of("mnist", "fashion-mnist").contains(ref.dataset().name());   // valid = train[50000:60000]
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("metric", "parzen" + (n == SAMPLES ? "10k" : String.valueOf(n)) + "-" + ref.split());
        o.put("value", r.mean());
        o.put("se", r.standardError());
        o.put("sigma", r.sigma());
        o.put("data", ref.dataset().name());
        o.put("sigma_selected_on", sigma == null ? (paperSplit ? "train[50000:51000]" : "valid[0:1000]") : "given");
        o.put("samples", n);
        o.put("points", scored.n());
        o.put("seconds", Math.round(seconds * 100) / 100.0);
        if (sigma == null) {
            List<Map<String, Object>> means = new java.util.ArrayList<>();
            for (int i = 0; i < r.sigmaGrid().length; i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sigma", r.sigmaGrid()[i]);
                m.put("mean", r.validMeans()[i]);
                means.add(m);
            }
            o.put("valid_means", means);
        }
        return o;
    }
}
