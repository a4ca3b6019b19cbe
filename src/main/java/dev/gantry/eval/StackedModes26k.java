package dev.gantry.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stacked-modes26k}: PacGAN's Stacked MNIST protocol (Lin et al. 2018, protocols.md §5):
 * each channel of 26,000 samples classified by the frozen MNIST classifier; value: the number of
 * distinct digit triples of 1,000; also KL(triple histogram ‖ uniform). PacGAN's table: DCGAN 99
 * modes (KL 3.4), PacDCGAN4 1000 (KL 0.07). See {@link StackedModes}.
 */
public final class StackedModes26k implements Metric {

    @Override
    public String name() {
        return "stacked-modes26k";
    }

    @Override
    public String description() {
        return "Stacked MNIST: distinct digit triples (of 1000) among 26,000 samples, each channel classified; KL to uniform (PacGAN)";
    }

    @Override
    public int samples() {
        return StackedModes.PROTOCOL_SAMPLES;
    }

    @Override
    public String unsuitable(Evaluation ev) {
        if (!ev.dataset().name().equals("stacked-mnist")) {
            return "stacked-modes26k is Stacked MNIST's protocol (data.name = stacked-mnist), not " + ev.dataset().name() + "'s";
        }
        return ev.networkUnavailable();
    }

    @Override
    public Map<String, Object> compute(float[] samples, int n, Evaluation ev) {
        int m = StackedModes.PROTOCOL_SAMPLES;
        int plane = 28 * 28;
        float[][] channels = new float[3][m * plane];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(samples, (i * 3 + c) * plane, channels[c], i * plane, plane);
            }
        }
        float[][] p = new float[3][];
        for (int c = 0; c < 3; c++) {
            p[c] = ev.network().probabilities(channels[c], m);
        }
        StackedModes.Result r = StackedModes.compute(p[0], p[1], p[2], m);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("metric", name());
        o.put("value", r.modes());
        o.put("kl_uniform", r.klToUniform());
        o.put("data", ev.dataset().name());
        o.put("samples", m);
        o.putAll(ev.networkRecord());
        return o;
    }
}
