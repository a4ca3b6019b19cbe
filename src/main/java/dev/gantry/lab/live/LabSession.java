package dev.gantry.lab.live;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.data.ToyDataset;
import dev.gantry.data.ToyMixture;
import dev.gantry.eval.ModeCoverage;
import dev.gantry.losses.Objective;
import dev.gantry.train.Diagnostics;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingListener;
import dev.gantry.train.TrainingView;
import dev.gantry.util.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * One live training run of the lab: a {@link GanTrainer} (the same trainer, losses and alarms as
 * {@code gantry train}) on a worker thread of its own, which takes steps in small chunks and, after
 * each chunk, publishes a snapshot for the page: D over the plane, real and fake points, the push
 * −∇ₓL_G on every fake point, modes captured and % high quality (PacGAN's protocol), the losses and
 * gradient norms so far, and the alarms of {@link Diagnostics}.
 *
 * <p>Play runs {@code speed} steps a frame, at most {@value #FRAME_MS} ms a frame (so at most
 * 1000/{@value #FRAME_MS}·speed steps a second); pause stops after the current chunk; step takes
 * steps while paused; reset builds a fresh trainer from new settings. Every engine call happens on
 * the worker thread: the engine allows one gradient collector at a time, and the HTTP threads only
 * read the last published snapshot.
 */
public final class LabSession implements AutoCloseable {

    /** Shortest time between two frames while playing. */
    static final long FRAME_MS = 100;
    /** Cells per side of the heat map of D. */
    static final int HEAT = 48;
    /** Real points drawn on the page. */
    static final int REAL_POINTS = 256;
    /** Speeds the page offers: steps a frame. */
    public static final int MAX_SPEED = 100;
    /** Readings kept in the history; beyond, every other one is dropped (the whole run stays in view). */
    static final int HISTORY = 600;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object lock = new Object();
    private final Thread worker;
    // Guarded by lock: what the page asked for.
    private LabSettings requested;
    private boolean playing;
    private long pendingSteps;
    private int speed = 10;
    private boolean closed;
    private boolean republish;   // the state or speed changed: publish a frame even with nothing to train

    // Worker-thread state.
    private volatile GanTrainer trainer;   // volatile: close() asks it to stop from another thread
    private LabSettings settings;
    private RunConfig config;
    private ToyMixture mixture;
    private Objective objective;
    private Diagnostics diagnostics;
    private ModeCoverage coverage;
    private float[] realPoints;
    private double half;
    private final List<double[]> history = new ArrayList<>();   // step, loss_d, loss_g, grad_g, grad_d, d_real, d_fake
    private final List<double[]> modeHistory = new ArrayList<>(); // step, captured, hq fraction
    private boolean diverged;
    private String failure;

    private volatile String snapshot;

    /** Starts a paused session with {@code settings} (validated). */
    public LabSession(LabSettings settings) {
        settings.config();   // a config the loader refuses is refused here, on the caller's thread
        this.requested = settings;
        this.snapshot = "{\"state\":\"starting\"}";
        this.worker = new Thread(this::work, "gantry-lab-trainer");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** The newest snapshot, as JSON. */
    public String snapshot() {
        return snapshot;
    }

    public void play() {
        synchronized (lock) {
            playing = true;
            republish = true;
            lock.notifyAll();
        }
    }

    public void pause() {
        synchronized (lock) {
            playing = false;
            republish = true;
            lock.notifyAll();
        }
    }

    /** Pauses and takes {@code n} steps. */
    public void step(int n) {
        synchronized (lock) {
            playing = false;
            pendingSteps += n;
            lock.notifyAll();
        }
    }

    /** Steps a frame while playing, 1 to {@value #MAX_SPEED}. */
    public void speed(int stepsPerFrame) {
        if (stepsPerFrame < 1 || stepsPerFrame > MAX_SPEED) {
            throw new dev.gantry.BadInputException("speed: expected steps per frame in [1, " + MAX_SPEED + "] (got " + stepsPerFrame + ")");
        }
        synchronized (lock) {
            speed = stepsPerFrame;
            republish = true;
            lock.notifyAll();
        }
    }

    /** Starts over, paused, with new settings (validated; a config the loader refuses is refused here). */
    public void reset(LabSettings s) {
        s.config();
        synchronized (lock) {
            requested = s;
            playing = false;
            pendingSteps = 0;
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        GanTrainer t = trainer;
        if (t != null) {
            t.requestStop();   // ends the chunk in progress after its current step
        }
        try {
            worker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the worker ----

    private void work() {
        // Grad mode is per thread, on by default off the engine's own thread: in-place updates of
        // the parameters need it off (djl-notes.md); the gradient collector turns it on in its scope.
        try {
            Engine.getInstance();   // loads the native library if no one has yet
            JniUtils.setGradMode(false);
            while (true) {
                try {
                    if (!turn()) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // A failed step or frame pauses the session and shows why; a reset starts over.
                    failure = "internal error: " + e;
                    stopPlaying();
                    publishQuietly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = "internal error: " + e;   // e.g. the engine cannot load: the page says so
            publishQuietly();
        } finally {
            if (trainer != null) {
                trainer.close();
            }
        }
    }

    /** One turn of the worker: wait for work, do it, publish; false once the session is closed. */
    private boolean turn() throws InterruptedException {
        LabSettings reset;
        int n;
        synchronized (lock) {
            while (!closed && requested == null && !playing && pendingSteps == 0 && !republish) {
                lock.wait();
            }
            republish = false;
            if (closed) {
                return false;
            }
            reset = requested;
            requested = null;
            if (reset != null) {
                n = 0;
            } else if (playing) {
                n = speed;
            } else {
                n = (int) Math.min(pendingSteps, MAX_SPEED);
                pendingSteps -= n;
            }
        }
        long start = System.nanoTime();
        if (reset != null) {
            rebuild(reset);
        } else if (n == 0) {
            // only the state or the speed changed: the frame below says so
        } else if (trainer != null && !diverged && failure == null) {
            GanTrainer.Outcome outcome = trainer.train(Integer.MAX_VALUE, trainer.step() + n);
            if (outcome == GanTrainer.Outcome.DIVERGED) {
                diverged = true;
                stopPlaying();
            }
        } else {
            stopPlaying();   // nothing to train until a reset
        }
        publish();
        synchronized (lock) {
            long left = FRAME_MS - (System.nanoTime() - start) / 1_000_000;
            if (playing && requested == null && left > 0) {
                lock.wait(left);
            }
        }
        return true;
    }

    private void stopPlaying() {
        synchronized (lock) {
            playing = false;
            pendingSteps = 0;
        }
    }

    private void rebuild(LabSettings s) {
        if (trainer != null) {
            trainer.close();
            trainer = null;
        }
        history.clear();
        modeHistory.clear();
        diverged = false;
        failure = null;
        settings = s;
        config = s.config();
        mixture = s.toyMixture();
        coverage = new ModeCoverage(mixture);
        ImageSet data = new ToyDataset(mixture).load(Split.TRAIN,
                new dev.gantry.data.Dataset.Request(null, config.data().trainSize(), config.seed(), null));
        realPoints = mixture.sample(REAL_POINTS, Seeds.derive(config.seed(), Seeds.EVAL, 1));
        half = extent(mixture);
        try {
            trainer = new GanTrainer(config, data);
            objective = new Objective(config.loss(), trainer.discriminator());
        } catch (dev.gantry.BadInputException e) {
            failure = e.getMessage();
            if (trainer != null) {
                trainer.close();
                trainer = null;
            }
            return;
        }
        diagnostics = new Diagnostics(config.diagnostics(), null, null);
        trainer.addListener(diagnostics);
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(TrainingView t, StepStats st) {
                if (st != null) {
                    record(history, new double[] {st.step(), st.lossD(), st.lossG(), st.gradNormG(), st.gradNormD(), st.dReal(), st.dFake()});
                }
            }
        });
    }

    /** Half the side of the square shown: the modes with 4σ around them, and a margin. */
    static double extent(ToyMixture m) {
        double r = 0;
        for (int k = 0; k < m.modes(); k++) {
            r = Math.max(r, Math.max(Math.abs(m.mean(k, 0)), Math.abs(m.mean(k, 1))));
        }
        return Math.max(0.5, 1.2 * (r + 4 * m.std()));
    }

    private static void record(List<double[]> list, double[] row) {
        list.add(row);
        if (list.size() > HISTORY) {
            for (int i = list.size() - 2; i >= 0; i -= 2) {
                list.remove(i);   // keep the newest, drop every other one before it
            }
        }
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException ignored) {
            // the failure is already in the snapshot's state below
            ObjectNode o = JSON.createObjectNode();
            o.put("state", "failed");
            o.put("error", failure);
            setSnapshot(o.toString());
        }
    }

    private void publish() {
        ObjectNode o = JSON.createObjectNode();
        boolean play;
        int sp;
        synchronized (lock) {
            play = playing;
            sp = speed;
        }
        o.put("state", failure != null ? "failed" : diverged ? "diverged" : play ? "playing" : "paused");
        o.put("speed", sp);
        o.put("max_speed", MAX_SPEED);
        if (failure != null) {
            o.put("error", failure);
        }
        if (settings != null) {
            o.set("settings", settings.toJson());
            ArrayNode sets = o.putArray("config");
            settings.configSets().forEach(sets::add);
        }
        if (trainer != null) {
            o.put("step", trainer.step());
            o.put("epoch", trainer.epoch());
            o.put("half", half);
            ArrayNode means = o.putArray("modes_at");
            for (int k = 0; k < mixture.modes(); k++) {
                means.addArray().add(mixture.mean(k, 0)).add(mixture.mean(k, 1));
            }
            o.put("mixture_std", mixture.std());
            frame(o);
        }
        setSnapshot(nanToNull(o).toString());
    }

    private void setSnapshot(String s) {
        snapshot = s;
    }

    /** The pictures and numbers of the current step. */
    private void frame(ObjectNode o) {
        String lossName = config.loss().name();
        o.put("heat_scale", heatScale(lossName));
        float[] fakes = trainer.fixedSamples();   // G of the fixed noise: points move smoothly from frame to frame
        int nf = fakes.length / 2;
        float[] grid = new float[HEAT * HEAT * 2];
        for (int r = 0; r < HEAT; r++) {
            for (int c = 0; c < HEAT; c++) {
                grid[2 * (r * HEAT + c)] = (float) (-half + (c + 0.5) * 2 * half / HEAT);
                grid[2 * (r * HEAT + c) + 1] = (float) (half - (r + 0.5) * 2 * half / HEAT);
            }
        }
        float[] logits;
        float[] push;
        try (NDManager sm = trainer.manager().newSubManager()) {
            NDArray g = sm.create(grid, new Shape(HEAT * HEAT, 1, 1, 2));
            logits = trainer.discriminator().logits(g, null, null, true).toFloatArray();
            push = push(sm, fakes, nf);
        }
        double[] heat = heat(lossName, logits);
        ArrayNode h = o.putArray("heat");
        for (double v : heat) {
            h.add(Math.round(v * 1000) / 1000.0);
        }
        o.put("heat_side", HEAT);
        o.set("real", points(realPoints));
        o.set("fake", points(fakes));
        ArrayNode a = o.putArray("arrows");
        for (float v : push) {
            a.add(v);
        }
        // PacGAN's metrics on its protocol's 2,500 samples, from a stream of their own.
        Seeds.seedEngine(config.seed(), Seeds.EVAL, trainer.step());
        ModeCoverage.Result m;
        try {
            m = coverage.evaluate(trainer.generate(ModeCoverage.PROTOCOL_SAMPLES), ModeCoverage.PROTOCOL_SAMPLES, 2);
        } catch (dev.gantry.BadInputException e) {
            m = null;   // G's samples are not finite (a diverged run): there are no modes to count
            o.put("modes_error", e.getMessage());
        }
        if (m != null) {
            modes(o, m);
        }
        ArrayNode hs = o.putArray("history");
        for (double[] row : history) {
            ArrayNode r = hs.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        ArrayNode mh = o.putArray("mode_history");
        for (double[] row : modeHistory) {
            mh.addArray().add((long) row[0]).add((int) row[1]).add(row[2]);
        }
        ArrayNode alarms = o.putArray("alarms");
        for (Diagnostics.Alarm al : diagnostics.alarms()) {
            ObjectNode x = alarms.addObject();
            x.put("name", al.name());
            x.put("step", al.step());
            x.put("epoch", al.epoch());
            x.put("detail", al.detail());
            x.put("doc", "/docs/diagnostics#" + al.name());
        }
        StepStats last = trainer.lastStats();
        if (last != null) {
            ObjectNode st = o.putObject("last");
            st.put("step", last.step());
            st.put("loss_d", last.lossD());
            st.put("loss_g", last.lossG());
            st.put("grad_norm_g", last.gradNormG());
            st.put("grad_norm_d", last.gradNormD());
            st.put("d_real", last.dReal());
            st.put("d_fake", last.dFake());
            // Real examples a second over the steps since the previous reading, as steps a second.
            st.put("steps_per_second", last.samplesPerSecond() / (config.train().batchSize() * trainer.batchesPerStep()));
        }
    }

    private void modes(ObjectNode o, ModeCoverage.Result m) {
        ObjectNode modes = o.putObject("modes");
        modes.put("captured", m.modesCaptured());
        modes.put("of", m.modes());
        modes.put("high_quality", m.highQualityFraction());
        modes.put("reverse_kl", m.reverseKl());
        modes.put("samples", m.samples());
        ArrayNode hist = modes.putArray("histogram");
        for (int c : m.histogram()) {
            hist.add(c);
        }
        if (modeHistory.isEmpty() || modeHistory.get(modeHistory.size() - 1)[0] != trainer.step()) {
            record(modeHistory, new double[] {trainer.step(), m.modesCaptured(), m.highQualityFraction()});
        }
    }

    /**
     * −∇ₓ L_G at each fake point x, sample by sample: the direction G's loss pushes it (its
     * gradient reaches G's parameters only through these), by autograd through D, D's parameters
     * cut from the graph. Row-major {@code [n, 2]}.
     */
    private float[] push(NDManager sm, float[] fakes, int n) {
        NDArray x = sm.create(fakes, new Shape(n, 1, 1, 2));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = trainer.discriminator().logits(x, null, null, true);
            // G's loss is a mean over the batch: n times its gradient is each sample's own.
            gc.backward(objective.generatorLoss(logits).mul(-n));
        }
        return x.getGradient().toFloatArray();
    }

    /** How the page reads the heat map's values, by loss. */
    static String heatScale(String loss) {
        return switch (loss) {
            case "gan" -> "D(x) = sigmoid(logit): 0 fake, 1 real";
            case "least-squares" -> "D(x), clipped to [0, 1]: the targets are 0 fake, 1 real";
            case "hinge" -> "(D(x) + 1) / 2, clipped to [0, 1]: the margins are -1 fake, +1 real";
            default -> "critic D(x), scaled to [0, 1] over the plane shown (its offset means nothing)";
        };
    }

    /** D's values over the plane as colours' positions in [0, 1]. */
    static double[] heat(String loss, float[] logits) {
        double[] h = new double[logits.length];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        for (int i = 0; i < h.length; i++) {
            double l = logits[i];
            h[i] = switch (loss) {
                case "gan" -> 1 / (1 + Math.exp(-l));
                case "least-squares" -> Math.min(1, Math.max(0, l));
                case "hinge" -> Math.min(1, Math.max(0, (l + 1) / 2));
                default -> hi > lo ? (l - lo) / (hi - lo) : 0.5;
            };
        }
        return h;
    }

    private static ArrayNode points(float[] xy) {
        ArrayNode a = JSON.createArrayNode();
        for (float v : xy) {
            a.add(Math.round(v * 10000) / 10000.0);
        }
        return a;
    }

    private static com.fasterxml.jackson.databind.JsonNode nanToNull(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof ObjectNode obj) {
            var it = obj.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getValue().isNumber() && !Double.isFinite(e.getValue().asDouble())) {
                    e.setValue(obj.nullNode());
                } else {
                    nanToNull(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).isNumber() && !Double.isFinite(arr.get(i).asDouble())) {
                    arr.set(i, arr.nullNode());
                } else {
                    nanToNull(arr.get(i));
                }
            }
        }
        return n;
    }
}
