package dev.gantry.eval;

import java.util.Map;

/**
 * {@code cscore10k}: the classifier score, the Inception score's analogue with the dataset's
 * frozen classifier (Salimans et al. 2016): exp(E_x KL(p(y|x) ‖ p(y))) over 10 splits of 10,000
 * samples, mean ± s.d. of the splits. See {@link ClassifierScore}.
 */
public final class Cscore10k extends ClassifierMetric {

    @Override
    public String name() {
        return "cscore10k";
    }

    @Override
    public String description() {
        return "classifier score exp(E KL(p(y|x) || p(y))) of 10,000 samples over 10 splits (Inception-score analogue)";
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        int k = ev.network().classes();
        ClassifierScore.Result r = ClassifierScore.compute(ev.probabilities(samples, SAMPLES), SAMPLES, k);
        Map<String, Object> o = result(ev, r.mean());
        o.put("sd", r.std());
        o.put("splits", r.splitScores().length);
        return o;
    }
}
