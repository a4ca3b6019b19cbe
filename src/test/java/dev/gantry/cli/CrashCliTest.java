package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.report.RunReport;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.train.GanTrainer;
import dev.gantry.util.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training process killed with SIGKILL ({@code Process.destroyForcibly}) at chosen moments,
 * then resumed to the end (issue #12). One run directory goes through four kills in a row, each
 * of a child JVM stopped dead at a {@link dev.gantry.util.Halt} point and killed there:
 * <ol>
 *   <li>{@code stats@5}: in the middle of epoch 1, before any checkpoint (the resume restarts it);</li>
 *   <li>{@code checkpoint-write@20}: inside the write of the checkpoint of step 20, half of its
 *       tensors in the temporary file (the resume goes back to step 10);</li>
 *   <li>{@code checkpoint-visible@20}: right after that checkpoint is in place, before its epoch's
 *       monitor record;</li>
 *   <li>{@code stats@25}: in the middle of epoch 3.</li>
 * </ol>
 * After each kill every file named like a checkpoint loads and verifies; after the final resume
 * the checkpoints are bit for bit those of an uninterrupted run, no temporary file is left, every
 * line of the JSONL files parses, each step has one statistics record in the trajectory the report
 * reads (and any record a retaken step wrote twice holds the same values both times), and each
 * epoch its one monitor record.
 */
class CrashCliTest {

    static final String[] CONFIG = {"--preset", "tiny", "--epochs", "3"};

    @Test
    void killedAtFourMomentsAndResumedItIsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("uninterrupted");
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(List.of(CONFIG));
        train.addAll(List.of("--run-dir", reference.toString(), "--quiet"));
        CliTest.Result ref = CliTest.gantry(train.toArray(String[]::new));
        assertThat(ref.code()).as(ref.err()).isZero();

        Path run = dir.resolve("killed");
        List<String> killed = new ArrayList<>(List.of("train"));
        killed.addAll(List.of(CONFIG));
        killed.addAll(List.of("--run-dir", run.toString(), "--quiet"));
        List<String> resume = List.of("resume", run.toString(), "--quiet");
        StringBuilder logs = new StringBuilder();
        logs.append(killAt(dir, "stats@5", killed));
        assertThat(Checkpoint.list(run.resolve("checkpoints"))).isEmpty();
        everyCheckpointVerifies(run);
        logs.append(killAt(dir, "checkpoint-write@20", resume));
        assertThat(temporaryFiles(run)).anyMatch(p -> p.getFileName().toString().startsWith(".step-000000020.ckpt."));
        assertThat(run.resolve("checkpoints/step-000000020.ckpt")).doesNotExist();
        everyCheckpointVerifies(run);
        logs.append(killAt(dir, "checkpoint-visible@20", resume));
        assertThat(run.resolve("checkpoints/step-000000020.ckpt")).isRegularFile();
        assertThat(RunDirectory.open(run).metricsAt(20)).isEmpty();   // the kill came before the epoch's monitor
        everyCheckpointVerifies(run);
        logs.append(killAt(dir, "stats@25", resume));
        everyCheckpointVerifies(run);

        CliTest.Result end = CliTest.gantry(resume.toArray(String[]::new));
        assertThat(end.code()).as(end.err()).isZero();
        assertThat(end.err()).contains("from step-000000020.ckpt");

        // The checkpoints an uninterrupted run keeps, bit for bit (meta.json but for its time of creation).
        List<String> names = Checkpoint.list(reference.resolve("checkpoints")).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).containsExactly("step-000000010.ckpt", "step-000000020.ckpt", "step-000000030.ckpt");
        assertThat(Checkpoint.list(run.resolve("checkpoints")).stream().map(p -> p.getFileName().toString()).toList()).isEqualTo(names);
        for (String name : names) {
            assertThat(InterruptedRunCliTest.checkpoint(run.resolve("checkpoints").resolve(name))).as(name)
                    .isEqualTo(InterruptedRunCliTest.checkpoint(reference.resolve("checkpoints").resolve(name)));
        }
        everyCheckpointVerifies(run);
        assertThat(temporaryFiles(run)).isEmpty();
        for (String file : List.of(RunDirectory.STATS, RunDirectory.METRICS, RunDirectory.EVENTS)) {
            for (String line : Files.readAllLines(run.resolve(file), StandardCharsets.UTF_8)) {
                assertThat(ConfigLoader.mapper().readTree(line).isObject()).as(file + ": " + line).isTrue();
            }
        }
        // Statistics: the trajectory has each step once, with the uninterrupted run's values; a
        // step retaken after a kill (steps 15 and 20 after kill 2, 25 after kill 4) wrote the same
        // values twice, the earlier record kept in the file as an abandoned attempt's.
        Map<Long, String> expected = byStep(reference);
        List<Map<String, Object>> trajectory = RunReport.latestTrajectory(RunReport.readJsonl(run.resolve(RunDirectory.STATS)));
        assertThat(trajectory.stream().map(r -> ((Number) r.get("step")).longValue()).toList()).isEqualTo(List.copyOf(expected.keySet()));
        for (String line : Files.readAllLines(run.resolve(RunDirectory.STATS), StandardCharsets.UTF_8)) {
            long step = ConfigLoader.mapper().readTree(line).get("step").asLong();
            assertThat(withoutTiming(line)).as("step " + step).isEqualTo(expected.get(step));
        }
        // Monitor records: one an epoch, as the uninterrupted run's.
        assertThat(InterruptedRunCliTest.records(run)).isEqualTo(InterruptedRunCliTest.records(reference));
        assertThat(logs.toString()).doesNotContain("AutoNonVariableTypeMode");
    }

    /**
     * Runs {@code gantry ARGS} in a child JVM that stops dead at {@code point}, waits until it
     * has, and kills it with SIGKILL; returns its output.
     */
    static String killAt(Path dir, String point, List<String> args) throws Exception {
        Path signal = dir.resolve("halted-" + point.replace('@', '-'));
        Path log = dir.resolve("child-" + point.replace('@', '-') + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dgantry.halt=" + point, "-Dgantry.halt.signal=" + signal, "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(signal)) {
                assertThat(p.isAlive()).as("child exited before " + point + ": " + Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("child did not reach " + point).isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            p.destroyForcibly();   // SIGKILL: no shutdown hook, no final checkpoint
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return Files.readString(log);
    }

    /** Every file named like a checkpoint passes every check of a restore (CRC, SHA-256, shapes, finite values, counters). */
    static void everyCheckpointVerifies(Path run) {
        RunConfig config = RunDirectory.open(run).readConfig();
        try (GanTrainer t = new GanTrainer(config, Datasets.trainingSet(config, System.err))) {
            for (Path ckpt : Checkpoint.list(run.resolve("checkpoints"))) {
                Checkpoint.restore(t, ckpt);
                assertThat(t.step()).isEqualTo(Checkpoint.step(ckpt));
            }
        }
    }

    static List<Path> temporaryFiles(Path run) throws Exception {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(AtomicFile::isTemporary).toList();
        }
    }

    /** A stats record without its one measurement of time, samples_per_s. */
    static String withoutTiming(String line) throws Exception {
        ObjectNode o = (ObjectNode) ConfigLoader.mapper().readTree(line);
        o.remove("samples_per_s");
        return o.toString();
    }

    static Map<Long, String> byStep(Path run) throws Exception {
        Map<Long, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run.resolve(RunDirectory.STATS), StandardCharsets.UTF_8)) {
            JsonNode o = ConfigLoader.mapper().readTree(line);
            assertThat(m.put(o.get("step").asLong(), withoutTiming(line))).as("the uninterrupted run records each step once").isNull();
        }
        assertThat(new TreeMap<>(m).keySet()).containsExactlyElementsOf(m.keySet());
        return m;
    }
}
