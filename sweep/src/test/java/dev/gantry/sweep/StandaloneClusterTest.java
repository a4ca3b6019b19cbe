package dev.gantry.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A sweep through a real Spark standalone master and worker, each a child JVM started here on
 * 127.0.0.1: two trials run (one trains, one has an override that fails in training), the
 * failing one is retried and reported, and a rerun skips the finished trial and retries the
 * failed one.
 */
class StandaloneClusterTest {

    @TempDir
    static Path tmp;

    private static Process master;
    private static Process worker;
    private static String masterUrl;
    private static Path workerLog;

    @BeforeAll
    static void startCluster() throws Exception {
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        Path masterLog = tmp.resolve("master.log");
        master = sparkDaemon("org.apache.spark.deploy.master.Master", masterLog,
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        awaitLine(masterLog, "Starting Spark master", master);
        // A worker launches executors from SPARK_HOME/jars (empty here: the executors get this
        // module's class path from the sweep, spark.executor.extraClassPath).
        Path sparkHome = tmp.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        workerLog = tmp.resolve("worker.log");
        worker = sparkDaemon("org.apache.spark.deploy.worker.Worker", workerLog,
                "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                "--work-dir", tmp.resolve("work").toString(), masterUrl);
        awaitLine(workerLog, "Successfully registered with master", worker);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process p : new Process[] {worker, master}) {
            if (p != null) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static Process sparkDaemon(String mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("spark-java17.args").toAbsolutePath(), "-Xmx512m",
                "-Dlog4j2.configurationFile=" + Path.of("src/test/resources/daemon-log4j2.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", tmp.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void awaitLine(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Outcome(int code, String out, String err) {}

    private static Outcome sweep(Path file, Path dir) {
        CommandLine cl = SweepCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(file.toString(), "--master", masterUrl, "--dir", dir.toString(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--executor-wait", "240");   // executors are JVMs too: slow to start on a loaded machine
        return new Outcome(code, out.toString(), err.toString());
    }

    /** sweep.tsv as a map from trial name to its columns by header. */
    private static Map<String, Map<String, String>> tsv(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("sweep.tsv"));
        String[] head = lines.get(0).split("\t", -1);
        return lines.stream().skip(1).map(l -> l.split("\t", -1)).collect(Collectors.toMap(f -> f[0], f -> {
            Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i < head.length; i++) {
                m.put(head[i], f[i]);
            }
            return m;
        }));
    }

    private static List<String> logs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSweepRunsOnTheClusterResumesAndReportsAFailedTrial() throws Exception {
        Path file = tmp.resolve("cluster.json");
        // 20 discriminator steps on 2,000 points of the ring; the "bad" cell asks for a monitor
        // that does not exist, which the config loader accepts and training refuses.
        Files.writeString(file, """
                {"preset": "toy-ring8",
                 "set": {"train.epochs": 1, "data.train_size": 2000},
                 "grid": {"variant": {"good": {"train.k": 2},
                                      "bad": {"monitor.metrics": "no-such-metric", "monitor.metrics_every": 1}}},
                 "seeds": [7],
                 "metrics": ["modes", "modes.high_quality", "modes.step"],
                 "threads_per_trial": 1, "retries": 1}""");
        Path dir = tmp.resolve("sweep");

        Outcome first = sweep(file, dir);
        String why = first + "\nworker log:\n" + Files.readString(workerLog) + executorLogs();
        assertThat(first.code()).as(why).isEqualTo(1);   // a trial failed after its retry
        assertThat(first.out()).as(why).contains("1 ran, 0 finished before, 1 failed");
        var rows = tsv(dir);
        assertThat(rows).containsOnlyKeys("variant-good_seed-7", "variant-bad_seed-7");
        Map<String, String> good = rows.get("variant-good_seed-7");
        assertThat(good.get("status")).isEqualTo("ok");
        assertThat(good.get("epoch")).isEqualTo("1");
        assertThat(good.get("modes.step")).isEqualTo("10");   // 20 D steps, k = 2: 10 G steps
        assertThat(Integer.parseInt(good.get("modes"))).isBetween(0, 8);
        assertThat(Double.parseDouble(good.get("modes.high_quality"))).isBetween(0.0, 1.0);
        Map<String, String> bad = rows.get("variant-bad_seed-7");
        assertThat(bad.get("status")).isEqualTo("failed");
        assertThat(bad.get("attempts")).isEqualTo("2");
        assertThat(bad.get("error")).contains("exit 2").contains("no-such-metric");
        assertThat(bad.get("modes")).isEmpty();

        // The trial is a normal run directory, trained with the thread cap of the sweep file.
        Path run = dir.resolve("trials/variant-good_seed-7");
        ObjectMapper json = new ObjectMapper();
        JsonNode prov = json.readTree(run.resolve("provenance.json").toFile());
        assertThat(prov.path("threads").asText()).isEqualTo("1");
        assertThat(prov.path("seed").asLong()).isEqualTo(7);
        assertThat(json.readTree(run.resolve("config.json").toFile()).path("train").path("k").asInt()).isEqualTo(2);
        assertThat(run.resolve(TrialRunner.MARKER)).isRegularFile();
        assertThat(logs(dir)).containsExactly("variant-bad_seed-7.attempt-1.log", "variant-bad_seed-7.attempt-2.log",
                "variant-good_seed-7.attempt-1.log");
        String report = Files.readString(dir.resolve("report.md"));
        assertThat(report).contains("1 of 2 trials finished").contains("## Failed trials").contains("variant-bad_seed-7");

        // Rerun: the finished trial is not run again (no new log, marker untouched), the failed one is retried.
        FileTime marked = Files.getLastModifiedTime(run.resolve(TrialRunner.MARKER));
        Outcome second = sweep(file, dir);
        assertThat(second.code()).as(second.toString()).isEqualTo(1);
        assertThat(second.out()).contains("1 finished before, 1 to run").contains("0 ran, 1 finished before, 1 failed");
        assertThat(Files.getLastModifiedTime(run.resolve(TrialRunner.MARKER))).isEqualTo(marked);
        assertThat(logs(dir)).containsExactly("variant-bad_seed-7.attempt-1.log", "variant-bad_seed-7.attempt-2.log",
                "variant-bad_seed-7.attempt-3.log", "variant-bad_seed-7.attempt-4.log", "variant-good_seed-7.attempt-1.log");
        rows = tsv(dir);
        assertThat(rows.get("variant-good_seed-7").get("status")).isEqualTo("finished-before");
        assertThat(rows.get("variant-good_seed-7").get("modes")).isEqualTo(good.get("modes"));
        assertThat(rows.get("variant-bad_seed-7").get("attempts")).isEqualTo("4");
    }

    private static String executorLogs() throws IOException {
        Path work = tmp.resolve("work");
        if (!Files.isDirectory(work)) {
            return "";
        }
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).map(p -> {
                try {
                    return "\n" + p + ":\n" + Files.readString(p);
                } catch (IOException e) {
                    return "";
                }
            }).collect(Collectors.joining());
        }
    }

    @Test
    void aMasterWithNoFittingWorkerFailsWithAReasonNotAHang() throws Exception {
        // The worker has 2 cores; a trial that wants 3 threads can never be placed.
        Path file = tmp.resolve("greedy.json");
        Files.writeString(file, """
                {"preset": "toy-ring8", "grid": {"train.k": [1]}, "seeds": [1], "threads_per_trial": 3}""");
        CommandLine cl = SweepCommand.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        long start = System.nanoTime();
        int code = cl.execute(file.toString(), "--master", masterUrl, "--dir", tmp.resolve("greedy").toString(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1", "--executor-wait", "5");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("no executor within 5 s").contains("threads_per_trial = 3");
        // 5 s of waiting plus starting and stopping Spark's driver (about 10 s on an idle machine,
        // 45 s was seen with the machine's 2 cores loaded 8-fold): an answer, not a hang.
        assertThat(seconds).isLessThan(120);
    }
}
