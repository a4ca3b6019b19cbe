package dev.gantry.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.Function;

/**
 * Runs one trial inside a Spark task: {@code gantry train} in a child JVM, into
 * {@code SWEEP_DIR/trials/<trial>/}, with its PyTorch threads capped.
 *
 * <p>Why a child JVM and not the task's own thread: DJL reads {@code ai.djl.pytorch.num_threads}
 * once, when the engine starts, and in {@code local[N]} every task shares the driver's JVM, so
 * tasks in one JVM cannot each have their own cap. A child process per trial gets exactly
 * {@code threads_per_trial} intra-op threads (and OMP/MKL told the same), and a trial that
 * crashes the JVM (a native error, an out-of-memory) fails that trial only. The cost is a JVM and
 * engine start per trial, a few seconds against minutes of training.
 *
 * <p>A trial that exits 0 gets {@code trial.json} written atomically (a temporary file moved into
 * place) in its run directory: that marker is what makes a rerun of the sweep skip it. A trial
 * that fails is retried {@code retries} times; each failed attempt's run directory is moved to
 * {@code failed/<trial>.attempt-N/} and its log stays in {@code logs/}.
 */
public final class TrialRunner implements Function<Trial, TrialResult>, Serializable {

    /** The marker a finished trial leaves in its run directory. */
    public static final String MARKER = "trial.json";

    private final String sweepDir;
    private final String preset;
    private final String config;
    private final String trialClasspath;
    private final String gantryHome;
    private final int threads;
    private final int retries;
    private final String memory;

    public TrialRunner(Path sweepDir, SweepSpec spec, String trialClasspath, String gantryHome) {
        this.sweepDir = sweepDir.toAbsolutePath().toString();
        this.preset = spec.preset();
        this.config = spec.config() == null ? null : spec.config().toString();
        this.trialClasspath = trialClasspath;
        this.gantryHome = gantryHome;
        this.threads = spec.threadsPerTrial();
        this.retries = spec.retries();
        this.memory = spec.trialMemory();
    }

    @Override
    public TrialResult call(Trial trial) throws Exception {
        Path root = Path.of(sweepDir);
        Path dir = root.resolve("trials").resolve(trial.name());
        if (Files.isRegularFile(dir.resolve(MARKER))) {
            return new TrialResult(trial.name(), "finished-before", 0, attemptsSoFar(root, trial), 0, "");
        }
        Files.createDirectories(root.resolve("logs"));
        int before = attemptsSoFar(root, trial);
        if (Files.exists(dir)) {
            moveAside(root, dir, trial.name() + ".interrupted");   // a sweep stopped in the middle of it
        }
        String error = "";
        double seconds = 0;
        for (int attempt = 1; attempt <= 1 + retries; attempt++) {
            int n = before + attempt;
            synchronized (RUNNING) {
                if (stopping) {   // the attempt that just failed was stopped with the JVM: no retry
                    return new TrialResult(trial.name(), "failed", attempt - 1, n - 1, seconds, error + "; the sweep was stopped");
                }
            }
            Path log = root.resolve("logs").resolve(trial.name() + ".attempt-" + n + ".log");
            List<String> cmd = command(trial, dir);
            Files.writeString(log, "# " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            long start = System.nanoTime();
            int code = runChild(cmd, log);
            seconds = (System.nanoTime() - start) / 1e9;
            if (code == 0 && Files.isRegularFile(dir.resolve("metrics.jsonl"))) {
                writeMarker(trial, dir, n, seconds);
                return new TrialResult(trial.name(), "ok", attempt, n, seconds, "");
            }
            error = (code == 0 ? "exit 0 but no metrics.jsonl" : "exit " + code) + ": " + lastLine(log)
                    + " (log: logs/" + log.getFileName() + ")";
            if (Files.exists(dir)) {
                moveAside(root, dir, trial.name() + ".attempt-" + n);
            }
        }
        return new TrialResult(trial.name(), "failed", 1 + retries, before + 1 + retries, seconds, error);
    }

    /** The same command line {@code ./gantry train} runs, with this trial's thread cap. */
    List<String> command(Trial trial, Path dir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + memory);
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-Dgantry.home=" + gantryHome);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(trialClasspath);
        cmd.add("dev.gantry.cli.Main");
        cmd.add("train");
        if (preset != null) {
            cmd.add("--preset");
            cmd.add(preset);
        }
        if (config != null) {
            cmd.add("--config");
            cmd.add(config);
        }
        for (String s : trial.sets()) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.add("--seed");
        cmd.add(Long.toString(trial.seed()));
        cmd.add("--run-dir");
        cmd.add(dir.toString());
        cmd.add("--quiet");
        return cmd;
    }

    private int runChild(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
        Process p;
        synchronized (RUNNING) {
            if (stopping) {   // the JVM is shutting down: start nothing it would leave behind
                throw new InterruptedException("the JVM that runs this trial is stopping");
            }
            p = pb.start();
            RUNNING.add(p);
        }
        try {
            return p.waitFor();
        } finally {
            RUNNING.remove(p);
            if (p.isAlive()) {   // the task was cancelled (a killed job)
                stop(p);
            }
        }
    }

    /**
     * The trials this JVM started and that still run. When the JVM that runs the tasks ends (Ctrl-C
     * on the driver in local mode, a worker stopping its executor), they are stopped too rather than
     * left training without a sweep: SIGTERM, on which {@code gantry train} writes a checkpoint
     * and exits, as on Ctrl-C. Their run directories have no marker, so a rerun trains them again.
     */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static boolean stopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (RUNNING) {
                stopping = true;
                RUNNING.forEach(Process::destroy);
                RUNNING.forEach(TrialRunner::stop);
            }
        }, "gantry-sweep-stop-trials"));
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void writeMarker(Trial trial, Path dir, int attempts, double seconds) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("trial", trial.name());
        o.set("spec", spec(m, trial));
        o.put("attempts", attempts);
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        o.put("threads", threads);
        o.put("finished", Instant.now().toString());
        Path tmp = dir.resolve(MARKER + ".tmp");
        Files.writeString(tmp, m.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
    }

    /** What makes a trial the same trial on a rerun: its base config, overrides and seed. */
    ObjectNode spec(ObjectMapper m, Trial trial) {
        ObjectNode s = m.createObjectNode();
        if (preset != null) {
            s.put("preset", preset);
        }
        if (config != null) {
            s.put("config", config);
        }
        ArrayNode sets = s.putArray("sets");
        trial.sets().forEach(sets::add);
        s.put("seed", trial.seed());
        return s;
    }

    static int attemptsSoFar(Path root, Trial trial) {
        Path logs = root.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return 0;
        }
        String prefix = trial.name() + ".attempt-";
        try (Stream<Path> s = Files.list(logs)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && f.endsWith(".log"))
                    .mapToInt(f -> Integer.parseInt(f.substring(prefix.length(), f.length() - 4)))
                    .max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void moveAside(Path root, Path dir, String base) throws IOException {
        Path failed = root.resolve("failed");
        Files.createDirectories(failed);
        Path target = failed.resolve(base);
        for (int i = 2; Files.exists(target); i++) {
            target = failed.resolve(base + "." + i);
        }
        Files.move(dir, target);
    }

    /** The last line of a log that says something (the error message of a failed command). */
    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {   // Gantry's own message first ("gantry: error: ...")
            String l = lines.get(i).strip();
            if (l.startsWith("gantry: ")) {
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).strip();
            if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("... ") && !l.startsWith("# ")) {
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "(no output)";
    }
}
