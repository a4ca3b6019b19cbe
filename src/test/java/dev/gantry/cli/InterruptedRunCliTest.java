package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs stopped at awkward moments (issue #12), end to end on the tiny preset: a kill between an
 * epoch's checkpoint and its monitor records (finding 6), and before the first checkpoint
 * (finding 10).
 */
class InterruptedRunCliTest {

    @TempDir
    static Path shared;
    /** Two epochs with both kinds of monitor every epoch: parzen-valid, then parzen10k-valid. */
    static Path monitored;
    /** Two epochs of the tiny preset as it is (the Parzen monitor every epoch). */
    static Path plain;
    static final String[] MONITORS = {"--set", "monitor.metrics=parzen10k", "--set", "monitor.metrics_every=1"};

    @BeforeAll
    static void trainTinyRuns() {
        monitored = shared.resolve("monitored");
        List<String> args = new ArrayList<>(List.of("train", "--preset", "tiny", "--run-dir", monitored.toString(), "--quiet"));
        args.addAll(List.of(MONITORS));
        CliTest.Result r = CliTest.gantry(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        plain = shared.resolve("plain");
        r = CliTest.gantry("train", "--preset", "tiny", "--run-dir", plain.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static int copies;

    static synchronized Path copy(Path run) throws Exception {
        Path copy = shared.resolve("copy-" + ++copies);
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path target = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    /** The records of metrics.jsonl as text, without the one field that is not a result ("seconds", the time it took). */
    static List<String> records(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            ObjectNode o = (ObjectNode) ConfigLoader.mapper().readTree(line);
            o.remove("seconds");
            out.add(o.toString());
        }
        return out;
    }

    /** Cuts the last {@code n} records off metrics.jsonl: a kill after the checkpoint, before (some of) its monitors. */
    static void dropLastRecords(Path run, int n) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        Files.write(run.resolve("metrics.jsonl"), lines.subList(0, lines.size() - n), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aResumeRecomputesTheMonitorRecordsOfAnEpochWhoseCheckpointOutlivedThem(int lost) throws Exception {
        List<String> uninterrupted = records(monitored);
        assertThat(uninterrupted).hasSize(4);
        assertThat(uninterrupted.get(2)).contains("\"metric\":\"parzen-valid\"").contains("\"step\":20");
        assertThat(uninterrupted.get(3)).contains("\"metric\":\"parzen10k-valid\"").contains("\"step\":20");
        Path copy = copy(monitored);
        dropLastRecords(copy, lost);
        // The run is at its last epoch: nothing to train, but the lost records come back.
        CliTest.Result r = CliTest.gantry("resume", copy.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("recomputed").contains("epoch 2 (step 20)");
        // Bit for bit the uninterrupted run's records, each once: only what was missing is appended.
        assertThat(records(copy)).isEqualTo(uninterrupted);
        // A second resume finds nothing missing.
        r = CliTest.gantry("resume", copy.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("recomputed");
        assertThat(records(copy)).isEqualTo(uninterrupted);
    }

    @Test
    void aRunResumedAfterLosingTheRecordsEqualsOneThatNeverLostThem() throws Exception {
        Path intact = copy(plain);
        CliTest.Result r = CliTest.gantry("resume", intact.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("recomputed");
        Path damaged = copy(plain);
        dropLastRecords(damaged, 1);
        r = CliTest.gantry("resume", damaged.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("recomputed the parzen-valid record of epoch 2");
        assertThat(records(damaged)).hasSize(3).isEqualTo(records(intact));
    }

    // ---- finding 10: stopped before the first checkpoint ----

    /** The JSON records of a JSONL file, each without {@code field} (one that is not a result, such as a timing). */
    static List<String> records(Path file, String field) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            ObjectNode o = (ObjectNode) ConfigLoader.mapper().readTree(line);
            o.remove(field);
            out.add(o.toString());
        }
        return out;
    }

    /** A checkpoint's entries, meta.json without its "created" time. */
    static java.util.Map<String, String> checkpoint(Path file) throws Exception {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        for (var e : dev.gantry.run.CheckpointFiles.entries(file).entrySet()) {
            if (e.getKey().equals("meta.json")) {
                ObjectNode meta = (ObjectNode) ConfigLoader.mapper().readTree(e.getValue());
                meta.remove("created");
                m.put(e.getKey(), meta.toString());
            } else {
                m.put(e.getKey(), dev.gantry.run.CheckpointFiles.sha256(e.getValue()));
            }
        }
        return m;
    }

    /**
     * What a run killed while writing its first checkpoint leaves: config, provenance, the first
     * grid, stats of the first epoch with a torn last line, the checkpoint's temporary file; no
     * checkpoint, no metrics, no report.
     */
    static Path stoppedBeforeItsFirstCheckpoint() throws Exception {
        Path run = copy(plain);
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.write(run.resolve("checkpoints/.step-000000010.ckpt.5a3f09c2d1e4b687.tmp"), new byte[5000]);
        Files.delete(run.resolve("metrics.jsonl"));
        Files.delete(run.resolve("report.html"));
        Files.delete(run.resolve("samples/epoch-0001.png"));
        Files.delete(run.resolve("samples/epoch-0002.png"));
        List<String> stats = Files.readAllLines(run.resolve("stats.jsonl"), StandardCharsets.UTF_8);
        Files.writeString(run.resolve("stats.jsonl"), stats.get(0) + "\n" + stats.get(1).substring(0, 30), StandardCharsets.UTF_8);
        return run;
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointStartsAgainAndEqualsAFreshRun() throws Exception {
        Path run = stoppedBeforeItsFirstCheckpoint();
        CliTest.Result r = CliTest.gantry("resume", run.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("has no checkpoint").contains("starting it again from step 0")
                .contains("1 of stats.jsonl").contains(".step-000000010.ckpt.5a3f09c2d1e4b687.tmp");
        // The run a fresh train makes, bit for bit: checkpoints, statistics, monitor records.
        for (String name : List.of("step-000000010.ckpt", "step-000000020.ckpt")) {
            assertThat(checkpoint(run.resolve("checkpoints").resolve(name))).as(name)
                    .isEqualTo(checkpoint(plain.resolve("checkpoints").resolve(name)));
        }
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("step-000000010.ckpt", "step-000000020.ckpt");
        }
        assertThat(records(run.resolve("stats.jsonl"), "samples_per_s")).isEqualTo(records(plain.resolve("stats.jsonl"), "samples_per_s"));
        assertThat(records(run)).isEqualTo(records(plain));
        assertThat(Files.readString(run.resolve("events.jsonl"))).contains("\"event\":\"restarted\"");
        assertThat(run.resolve("samples/epoch-0002.png")).isRegularFile();
    }

    @Test
    void aRunWhoseCheckpointsWereRemovedIsNotRestarted() throws Exception {
        Path run = copy(plain);
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        var before = RunIntegrityCliTest.contents(run);
        CliTest.Result r = CliTest.gantry("resume", run.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("no checkpoint in").contains("metrics.jsonl holds 2 records");
        before.remove(".lock");
        var after = RunIntegrityCliTest.contents(run);
        after.remove(".lock");
        assertThat(after).isEqualTo(before);
    }
}
