package dev.gantry.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.util.Seeds;
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
    private ClassMeter meter;
    private int peakCovered;
    private boolean classesLost;

    /**
     * What a frozen classifier says of samples: per class, how many it assigns there with
     * confidence (e.g. {@code eval.ClassHistogram} over a shipped network's probabilities).
     */
    public interface ClassMeter {
        /** Confident samples per class, for n samples [n, C·H·W]. */
        int[] confidentCounts(float[] samples, int n);
    }

    /** Samples drawn for the class histogram every epoch. */
    public static final int CLASS_SAMPLES = 1000;

    /**
     * @param events where events are recorded, e.g. the run's events.jsonl (null: only printed)
     * @param out where alarms are printed (null: silent)
     */
    public Diagnostics(RunConfig.DiagnosticsConfig c, java.util.function.Consumer<ObjectNode> events, PrintStream out) {
        this.c = c;
        this.events = events;
        this.out = out;
    }

    /**
     * Also watches the class histogram of G's samples under a frozen classifier (labelled image
     * data with a shipped network): mode collapse is classes the samples covered and then lost.
     */
    public Diagnostics withClassMeter(ClassMeter meter) {
        this.meter = meter;
        return this;
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
        if (c.enabled() && meter != null) {
            watchClasses(t);
        }
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

    /**
     * The seeds' "Helvetica scenario" on labelled data: a class counts as covered when at least
     * 1 % of {@value #CLASS_SAMPLES} samples are assigned to it with confidence; the alarm rises
     * when fewer than {@code diagnostics.collapse_class_fraction} of the classes are covered
     * after at least that many were. The samples come from their own stream of the seed, so
     * watching changes nothing in the trajectory.
     */
    private void watchClasses(TrainingView t) {
        Seeds.seedEngine(t.config().seed(), Seeds.DIAGNOSE, t.epoch());
        int[] counts = meter.confidentCounts(t.generate(CLASS_SAMPLES), CLASS_SAMPLES);
        int covered = 0;
        for (int k : counts) {
            if (100L * k >= CLASS_SAMPLES) {
                covered++;
            }
        }
        int needed = (int) Math.ceil(c.collapseClassFraction() * counts.length);
        peakCovered = Math.max(peakCovered, covered);
        boolean now = peakCovered >= needed && covered < needed;
        if (now && !classesLost) {
            raise(t, "mode-collapse", String.format("the samples cover %d of %d classes (each >= 1%% of %d samples at confidence), "
                    + "down from %d (alarm below %d); confident samples per class %s", covered, counts.length, CLASS_SAMPLES,
                    peakCovered, needed, java.util.Arrays.toString(counts)));
        }
        classesLost = now;
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
