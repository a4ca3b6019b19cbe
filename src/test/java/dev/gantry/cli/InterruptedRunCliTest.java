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
 * epoch's checkpoint and its monitor records (finding 6).
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
}
