package dev.gantry.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Raises alarms for the pathologies the seed texts describe, while training runs: vanishing
 * gradients (D rejects every fake and G's gradient collapses — the saturation of the minimax loss
 * in Goodfellow et al. 2014, §3), mode collapse (G's samples far less diverse than real data — the
 * "Helvetica scenario"), and divergence (a NaN or infinite loss).
 *
 * <p>Each alarm is printed, appended to the run's {@code events.jsonl} with the evidence, and names
 * the page of {@code docs/diagnostics.md} that explains it. An alarm is raised when its condition
 * starts and again only after the condition has cleared.
 */
public final class Diagnostics implements TrainingListener {

    /** One raised alarm. */
    public record Alarm(String name, long step, int epoch, String detail) {
        public String doc() {
            return "docs/diagnostics.md#" + name;
        }
    }

    /** Consecutive healthy readings before an alarm can be raised again. */
    static final int REARM_AFTER = 20;

    private final RunConfig.DiagnosticsConfig c;
    private final java.util.function.Consumer<ObjectNode> events;
    private final PrintStream out;
    private final List<Alarm> alarms = new ArrayList<>();
    private double peakGradG;
    private boolean vanishing;
    private int clearStreak;
    private boolean collapsed;
    private double realDiversity = Double.NaN;
    private double peakDiversity;

    /**
     * @param events where events are recorded, e.g. the run's events.jsonl (null: only printed)
     * @param out where alarms are printed (null: silent)
     */
    public Diagnostics(RunConfig.DiagnosticsConfig c, java.util.function.Consumer<ObjectNode> events, PrintStream out) {
        this.c = c;
        this.events = events;
        this.out = out;
    }

    /** The alarms raised so far. */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    @Override
    public void onStart(TrainingView t) {
        int n = t.config().train().gridSide() * t.config().train().gridSide();
        if (t.data().n() >= 2) {
            // A fixed, evenly spread real batch of the grid's size: the yardstick for diversity.
            int m = Math.min(n, t.data().n());
            float[] real = new float[m * t.data().dim()];
            for (int i = 0; i < m; i++) {
                int index = (int) ((long) i * t.data().n() / m);
                System.arraycopy(t.data().pixels(), index * t.data().dim(), real, i * t.data().dim(), t.data().dim());
            }
            realDiversity = meanPairwiseDistance(real, m, t.data().dim());
        }
    }

    @Override
    public void onStep(TrainingView t, StepStats s) {
        if (!c.enabled() || s == null) {
            return;
        }
        if (s.diverged()) {
            raise(t, "divergence", String.format("loss_d %s, loss_g %s: training stopped; the newest checkpoint is the last good one",
                    s.lossD(), s.lossG()));
            return;
        }
        if (Double.isFinite(s.gradNormG())) {
            peakGradG = Math.max(peakGradG, s.gradNormG());
        }
        boolean now = s.dFake() < c.vanishingScore() && s.gradNormG() < c.vanishingGradRatio() * peakGradG;
        if (now && !vanishing) {
            raise(t, "vanishing-gradient", String.format("D(G(z)) %.4f and |grad G| %.3g, %.1f%% of its peak %.3g",
                    s.dFake(), s.gradNormG(), 100 * s.gradNormG() / peakGradG, peakGradG));
            vanishing = true;
        }
        // Re-arm only after the condition has stayed clear for a while, so a run hovering at the
        // threshold does not repeat the same alarm every few steps.
        clearStreak = now ? 0 : clearStreak + 1;
        if (clearStreak >= REARM_AFTER) {
            vanishing = false;
        }
    }

    @Override
    public void onEpochEnd(TrainingView t) {
        if (!c.enabled() || !Double.isFinite(realDiversity) || realDiversity == 0) {
            return;
        }
        int n = t.config().train().gridSide() * t.config().train().gridSide();
        double ratio = meanPairwiseDistance(t.fixedSamples(), n, t.data().dim()) / realDiversity;
        peakDiversity = Math.max(peakDiversity, ratio);
        // A generator starts out nearly constant; collapse is diversity that was reached and then lost.
        boolean now = peakDiversity >= c.collapseRatio() && ratio < c.collapseRatio();
        if (now && !collapsed) {
            raise(t, "mode-collapse", String.format("the fixed-noise samples are %.0f%% as spread out as real data, down from %.0f%% "
                    + "(alarm below %.0f%%)", 100 * ratio, 100 * peakDiversity, 100 * c.collapseRatio()));
        }
        collapsed = now;
    }

    private void raise(TrainingView t, String name, String detail) {
        Alarm a = new Alarm(name, t.step(), t.epoch(), detail);
        alarms.add(a);
        if (out != null) {
            out.printf("%nALARM %s at step %d (epoch %d): %s — see %s%n", name, a.step(), a.epoch(), detail, a.doc());
        }
        if (events != null) {
            ObjectNode o = ConfigLoader.mapper().createObjectNode();
            o.put("alarm", name);
            o.put("step", a.step());
            o.put("epoch", a.epoch());
            o.put("detail", detail);
            o.put("doc", a.doc());
            events.accept(o);
        }
    }

    /** Mean Euclidean distance over all pairs of the n rows of x [n, d]. */
    static double meanPairwiseDistance(float[] x, int n, int d) {
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += (double) x[i * d + k] * x[i * d + k];
            }
            sq[i] = s;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) x[i * d + k] * x[j * d + k];
                }
                total += Math.sqrt(Math.max(0, sq[i] + sq[j] - 2 * dot));
            }
        }
        return n < 2 ? 0 : total / ((double) n * (n - 1) / 2);
    }
}
