package dev.gantry.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry sweep SWEEP.json}: a grid of overrides × seeds, each trial a {@code gantry train}
 * run in a Spark task, gathered into {@code sweep.tsv} and {@code report.md}.
 *
 * <p>Exit codes as the rest of Gantry: 0 every trial finished, 2 bad input (the sweep file, the
 * master, the directory; nothing is started), 1 when a trial failed after its retries (the report
 * names it and why) or on an internal error.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of config overrides x seeds as Spark tasks, one gantry train run per trial.",
                "Trials go to DIR/trials/<cell>_seed-<S>/ (normal run directories); results to DIR/sweep.tsv and DIR/report.md.",
                "A rerun skips finished trials and retries failed ones. Format: docs/sweeps.md."})
public final class SweepCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Parameters(index = "0", paramLabel = "SWEEP.json", description = "the sweep file")
    Path file;

    @Option(names = "--master", paramLabel = "URL",
            description = "local[N] (default: local[<cores>]) or spark://HOST:PORT of a standalone master")
    String master;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "the sweep directory (default: sweeps/<name of SWEEP.json>); on a cluster, a directory every worker sees at the same path")
    Path dir;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting, e.g. --conf spark.driver.host=10.0.0.5 (repeatable)")
    List<String> conf = new ArrayList<>();

    @Option(names = "--executor-wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long a standalone master may take to give the sweep an executor (default: ${DEFAULT-VALUE})")
    int executorWait;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cli;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = cli.commandLine().getOut();
        SweepSpec spec = SweepSpec.read(file);
        Master m = master == null ? Master.localDefault() : Master.parse(master);
        if (m.local() && m.localCores() < spec.threadsPerTrial()) {
            throw new BadInputException("--master " + m.url() + " has " + m.localCores() + " core(s) but " + file
                    + " asks for threads_per_trial = " + spec.threadsPerTrial() + " (use local[" + spec.threadsPerTrial() + "] or more)");
        }
        Map<String, String> sparkConf = sparkConf();
        if (executorWait < 1) {
            throw new BadInputException("--executor-wait: expected a positive number of seconds, got " + executorWait);
        }
        m.checkReachable(3000);

        Path sweepDir = (dir != null ? dir : Path.of("sweeps", stripJson(file.getFileName().toString()))).toAbsolutePath();
        if (Files.exists(sweepDir) && !Files.isDirectory(sweepDir)) {
            throw new BadInputException("--dir " + sweepDir + ": exists and is not a directory");
        }
        List<Trial> trials = spec.trials();
        ObjectMapper json = new ObjectMapper();
        String home = gantryHome();
        TrialRunner runner = new TrialRunner(sweepDir, spec, trialClasspath(home), home);
        List<Trial> pending = new ArrayList<>();
        for (Trial t : trials) {
            Path marker = sweepDir.resolve("trials").resolve(t.name()).resolve(TrialRunner.MARKER);
            if (!Files.isRegularFile(marker)) {
                pending.add(t);
                continue;
            }
            JsonNode was = json.readTree(marker.toFile()).path("spec");
            JsonNode now = json.readTree(json.writeValueAsString(runner.spec(json, t)));   // read back: 7 is then an int, as in the file
            if (!was.equals(now)) {
                throw new BadInputException(marker + ": this trial finished with other settings (" + was + ", now " + now
                        + "); use another --dir, or move trials/" + t.name() + " away to run it again");
            }
        }
        Files.createDirectories(sweepDir.resolve("trials"));
        try (FileChannel lockFile = FileChannel.open(sweepDir.resolve(".sweep.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new BadInputException("--dir " + sweepDir + ": another gantry sweep is running in this directory");
            }
            SweepReport.writeAtomically(sweepDir.resolve("sweep.json"), spec.text());
            out.printf("gantry sweep: %d trials (%d cells x %d seeds) in %s; %d finished before, %d to run on %s, %d thread(s) each%n",
                    trials.size(), trials.size() / spec.seeds().size(), spec.seeds().size(), sweepDir,
                    trials.size() - pending.size(), pending.size(), m.url(), spec.threadsPerTrial());
            out.flush();
            Map<String, TrialResult> results = new HashMap<>();
            if (!pending.isEmpty()) {
                for (TrialResult r : runOnSpark(m, spec, sparkConf, runner, sweepDir, trials, pending, out)) {
                    results.put(r.trial(), r);
                }
            }
            return gather(spec, m, sweepDir, trials, results, out);
        }
    }

    private List<TrialResult> runOnSpark(Master m, SweepSpec spec, Map<String, String> extra, TrialRunner runner,
                                         Path sweepDir, List<Trial> all, List<Trial> pending, PrintWriter out) throws InterruptedException {
        SparkConf conf = new SparkConf()
                .setAppName("gantry sweep " + file.getFileName())
                .setMaster(m.url())
                .set("spark.task.cpus", Integer.toString(spec.threadsPerTrial()))
                .set("spark.ui.enabled", "false")
                // The executor only starts trials' JVMs; their heaps (trial_memory) are their own.
                .set("spark.executor.memory", "512m")
                // A trial retries itself (retries); Spark should not run a failed one again on top.
                .set("spark.task.maxFailures", "1")
                // A task is a whole training run, minutes to hours, on machines that may be
                // loaded: Spark's default 120 s without a heartbeat would drop a busy executor
                // (seen in local mode on this project's loaded 2-core machine) and the sweep with it.
                // Reaching the master is checked separately, within seconds (Master.checkReachable).
                .set("spark.network.timeout", "1800s")
                .set("spark.executor.heartbeatInterval", "60s");
        if (!m.local()) {
            // Executors load this module from the same paths as the driver: the shared directory.
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            // One executor per concurrent trial: a worker with fewer free cores than a trial's
            // threads then gets no executor, which waitForExecutor reports, instead of an
            // executor whose tasks can never be scheduled.
            conf.set("spark.executor.cores", Integer.toString(spec.threadsPerTrial()));
        }
        extra.forEach(conf::set);
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            if (!m.local()) {
                waitForExecutor(sc, m, spec);
            }
            AtomicInteger done = new AtomicInteger();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    System.out.printf("gantry sweep: %d of %d trials done%n", done.incrementAndGet(), pending.size());
                    System.out.flush();
                    try {   // the table so far: a long sweep can be watched, and a stopped one still has it
                        writeReports(spec, m, sweepDir, all, Map.of(), "ok");
                    } catch (IOException | RuntimeException e) {
                        System.err.println("gantry sweep: could not update the report: " + e);
                    }
                }
            });
            out.flush();
            return sc.parallelize(seedMajor(pending, spec), pending.size()).map(runner).collect();
        } finally {
            sc.stop();
        }
    }

    /**
     * The trials seed by seed (every cell's first seed, then every cell's second, ...): Spark
     * starts tasks in this order, so a sweep stopped early has every cell partly done rather than
     * the first cells done and the last ones empty.
     */
    static List<Trial> seedMajor(List<Trial> trials, SweepSpec spec) {
        List<Trial> out = new ArrayList<>(trials);
        out.sort(java.util.Comparator.comparingInt(t -> spec.seeds().indexOf(t.seed())));   // stable: cells keep their order
        return out;
    }

    /** A master can accept the application and still give it nothing (no worker, too few cores): say so. */
    private void waitForExecutor(JavaSparkContext sc, Master m, SweepSpec spec) throws InterruptedException {
        long deadline = System.nanoTime() + executorWait * 1_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < 2) {   // the driver counts as one
            if (sc.sc().isStopped()) {
                throw new BadInputException("--master " + m.url() + ": the master refused or dropped the sweep (see Spark's message above)");
            }
            if (System.nanoTime() > deadline) {
                throw new BadInputException("--master " + m.url() + ": no executor within " + executorWait + " s; is a worker registered "
                        + "with at least threads_per_trial = " + spec.threadsPerTrial() + " free core(s) and 512 MB? (--executor-wait to wait longer)");
            }
            Thread.sleep(200);
        }
    }

    private int gather(SweepSpec spec, Master m, Path sweepDir, List<Trial> trials, Map<String, TrialResult> results,
                       PrintWriter out) throws IOException {
        List<SweepReport.Row> rows = writeReports(spec, m, sweepDir, trials, results, "finished-before");
        long failed = rows.stream().filter(r -> !r.result().ok()).count();
        long ran = rows.stream().filter(r -> r.result().status().equals("ok")).count();
        out.printf("gantry sweep: %d ran, %d finished before, %d failed; %s, %s%n", ran, rows.size() - ran - failed, failed,
                sweepDir.resolve("sweep.tsv"), sweepDir.resolve("report.md"));
        for (SweepReport.Row r : rows) {
            if (!r.result().ok()) {
                out.printf("gantry sweep: trial %s %s after %d attempt(s): %s%n", r.trial().name(), r.result().status(),
                        r.result().totalAttempts(), r.result().error());
            }
        }
        out.flush();
        return failed == 0 ? OK : FAILED;
    }

    /**
     * Writes sweep.tsv and report.md from what is on disk and this run's results: a trial with a
     * marker and no result here is {@code markedStatus} ({@code finished-before} at the end;
     * {@code ok} in the reports rewritten as each trial ends), one with neither is pending.
     */
    private List<SweepReport.Row> writeReports(SweepSpec spec, Master m, Path sweepDir, List<Trial> trials,
                                               Map<String, TrialResult> results, String markedStatus) throws IOException {
        List<Path> dirs = trials.stream().map(t -> sweepDir.resolve("trials").resolve(t.name())).toList();
        List<SweepReport.Row> rows = new ArrayList<>();
        List<String> columns = SweepReport.columns(spec, dirs);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i);
            TrialResult r = results.get(t.name());
            Path marker = dirs.get(i).resolve(TrialRunner.MARKER);
            if ((r == null || r.status().equals("finished-before")) && Files.isRegularFile(marker)) {
                JsonNode mk = json.readTree(marker.toFile());
                r = new TrialResult(t.name(), markedStatus, 0, mk.path("attempts").asInt(), mk.path("seconds").asDouble(), "");
            } else if (r == null) {
                r = new TrialResult(t.name(), "pending", 0, TrialRunner.attemptsSoFar(sweepDir, t), 0, "");
            }
            rows.add(SweepReport.row(t, r, dirs.get(i), columns));
        }
        String command = "gantry sweep " + file + (master != null ? " --master " + master : "") + (dir != null ? " --dir " + dir : "");
        SweepReport.writeAtomically(sweepDir.resolve("sweep.tsv"), SweepReport.tsv(spec, columns, rows));
        SweepReport.writeAtomically(sweepDir.resolve("report.md"), SweepReport.markdown(spec, command, m.url(), columns, rows));
        return rows;
    }

    private Map<String, String> sparkConf() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String c : conf) {
            int eq = c.indexOf('=');
            if (eq <= 0 || !c.startsWith("spark.")) {
                throw new BadInputException("--conf " + c + ": expected spark.KEY=VALUE");
            }
            out.put(c.substring(0, eq), c.substring(eq + 1));
        }
        return out;
    }

    /** Where the Gantry checkout is: the launcher says (-Dgantry.home), else the working directory. */
    static String gantryHome() {
        return Path.of(System.getProperty("gantry.home", System.getProperty("user.dir"))).toAbsolutePath().toString();
    }

    /** The class path of {@code gantry train} itself: the core jar and its libraries, as the launcher runs it. */
    static String trialClasspath(String home) {
        String cp = System.getProperty("gantry.sweep.trial_classpath");
        if (cp != null) {
            return cp;
        }
        Path jar = Path.of(home, "target", "gantry.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(Path.of(home, "target", "lib"))) {
            throw new IllegalStateException(jar + " or target/lib is missing: build the core first (mvn -q install -DskipTests in " + home + ")");
        }
        return jar + java.io.File.pathSeparator + Path.of(home, "target", "lib") + java.io.File.separator + "*";
    }

    private static String stripJson(String name) {
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** Runs a command line and returns its exit code (for tests and for {@link #main}). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new SweepCommand());
        cl.setCommandName("gantry sweep");
        cl.setExecutionExceptionHandler(dev.gantry.cli.Main.exitCodes());   // exit 2 for bad input, 1 otherwise
        return cl;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
