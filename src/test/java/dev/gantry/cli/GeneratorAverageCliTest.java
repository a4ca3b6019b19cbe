package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.data.format.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with train.g_average: the monitor and the grids show the averaged G beside the last one,
 * and eval, sample and metric choose between them with --generator.
 */
class GeneratorAverageCliTest {

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyRunWithAnAverage() {
        run = dir.resolve("avg");
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet", "--set", "train.g_average=0.2");
        assertThat(r.code()).as(r.err()).isZero();
    }

    static List<JsonNode> records(String metric) throws Exception {
        return records(run, metric);
    }

    @Test
    void theMonitorAndTheGridsShowBothGenerators() throws Exception {
        List<JsonNode> last = records("parzen-valid");
        List<JsonNode> averaged = records("parzen-valid-average");
        assertThat(last).hasSize(2);
        assertThat(averaged).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(averaged.get(i).path("step").asLong()).isEqualTo(last.get(i).path("step").asLong());
            assertThat(averaged.get(i).path("value").asDouble()).isNotEqualTo(last.get(i).path("value").asDouble());
        }
        assertThat(run.resolve("samples/epoch-0002.png")).exists();
        assertThat(run.resolve("samples/average-epoch-0002.png")).exists();
        assertThat(run.resolve("samples/average-epoch-0000.png")).doesNotExist();   // no average before G's first update
        // The report shows the averaged G's latest grid beside the last G's, and a plot of its monitor.
        String report = Files.readString(run.resolve("report.html"));
        assertThat(report).contains("src=\"samples/epoch-0002.png\"").contains("src=\"samples/average-epoch-0002.png\"")
                .contains("parzen-valid-average");
    }

    @Test
    void evalRecordsWhichGeneratorItScored() throws Exception {
        CliTest.Result auto = CliTest.gantry("eval", "parzen", run.toString(), "--n", "20", "--sigma", "0.2");
        assertThat(auto.code()).as(auto.err()).isZero();
        CliTest.Result last = CliTest.gantry("eval", "parzen", run.toString(), "--n", "20", "--sigma", "0.2", "--generator", "last");
        assertThat(last.code()).as(last.err()).isZero();
        List<JsonNode> r = records("parzen20-test");   // the record of --n 20
        assertThat(r.get(r.size() - 2).path("generator").asText()).isEqualTo("average");
        assertThat(r.get(r.size() - 1).path("generator").asText()).isEqualTo("last");
        assertThat(r.get(r.size() - 2).path("value").asDouble()).isNotEqualTo(r.get(r.size() - 1).path("value").asDouble());
    }

    @Test
    void sampleDrawsTheSameNoiseThroughEitherGenerator() throws Exception {
        Path a = dir.resolve("a.npy");
        Path l = dir.resolve("l.npy");
        Path d = dir.resolve("d.npy");
        assertThat(CliTest.gantry("sample", run.toString(), "--n", "8", "--out", a.toString(), "--generator", "average").code()).isZero();
        assertThat(CliTest.gantry("sample", run.toString(), "--n", "8", "--out", l.toString(), "--generator", "last").code()).isZero();
        assertThat(CliTest.gantry("sample", run.toString(), "--n", "8", "--out", d.toString()).code()).isZero();
        float[] avg = Npy.readImages(a, 784).data();
        assertThat(Arrays.equals(avg, Npy.readImages(d, 784).data())).as("auto takes the average").isTrue();
        assertThat(Arrays.equals(avg, Npy.readImages(l, 784).data())).isFalse();
    }

    @Test
    void theLibrarysGeneratorChoosesAsTheCommandDoes() throws Exception {
        Path cli = dir.resolve("cli.npy");
        assertThat(CliTest.gantry("sample", run.toString(), "--n", "6", "--out", cli.toString()).code()).isZero();
        try (dev.gantry.api.Generator g = dev.gantry.api.Generator.fromRun(run)) {
            assertThat(g.averagedWeights()).isTrue();
            assertThat(Arrays.equals(g.sample(6), Npy.readImages(cli, 784).data())).isTrue();
        }
        Path ckpt = dev.gantry.run.Checkpoint.latest(run.resolve("checkpoints"));
        try (dev.gantry.api.Generator g = dev.gantry.api.Generator.fromCheckpoint(ckpt, false)) {
            assertThat(g.averagedWeights()).isFalse();
            assertThat(Arrays.equals(g.sample(6), Npy.readImages(cli, 784).data())).isFalse();
        }
    }

    @Test
    void anAverageTheRunDidNotKeepAndUnknownChoicesAreRefused() throws Exception {
        Path plain = dir.resolve("plain");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", plain.toString(), "--quiet", "--epochs", "1").code()).isZero();
        long before = Files.size(plain.resolve("metrics.jsonl"));
        CliTest.Result r = CliTest.gantry("eval", "parzen", plain.toString(), "--n", "20", "--generator", "average");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--generator average").contains("train.g_average = 0");
        r = CliTest.gantry("sample", run.toString(), "--n", "4", "--out", dir.resolve("x.npy").toString(), "--generator", "best");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--generator").contains("'best'");
        assertThat(dir.resolve("x.npy")).doesNotExist();
        assertThat(Files.size(plain.resolve("metrics.jsonl"))).isEqualTo(before);
        assertThat(plain.resolve("samples/average-epoch-0001.png")).doesNotExist();
    }

    /** resume --set train.g_average: the average starts at the resume, the records and the grids follow it, and a bad rate changes nothing. */
    @Test
    void aResumeCanStartAnAverageTheRunDidNotKeep() throws Exception {
        Path r1 = dir.resolve("late");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", r1.toString(), "--quiet", "--epochs", "1").code()).isZero();
        String config = Files.readString(r1.resolve("config.json"));
        CliTest.Result bad = CliTest.gantry("resume", r1.toString(), "--quiet", "--epochs", "2", "--set", "train.g_average=1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("train.g_average");
        assertThat(Files.readString(r1.resolve("config.json"))).isEqualTo(config);
        CliTest.Result r = CliTest.gantry("resume", r1.toString(), "--quiet", "--epochs", "2", "--set", "train.g_average=0.2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("train.g_average 0.0 -> 0.2").contains("the trajectory is unchanged");
        assertThat(Files.readString(r1.resolve("events.jsonl"))).contains("\"event\":\"g_average_restarted\"");
        assertThat(new ObjectMapper().readTree(r1.resolve("config.json").toFile()).at("/train/g_average").asDouble()).isEqualTo(0.2);
        List<JsonNode> averaged = records(r1, "parzen-valid-average");
        assertThat(averaged).hasSize(1);
        assertThat(averaged.get(0).path("epoch").asInt()).isEqualTo(2);
        assertThat(r1.resolve("samples/average-epoch-0002.png")).exists();
        assertThat(r1.resolve("samples/average-epoch-0001.png")).doesNotExist();
        // The checkpoint of epoch 1 kept no average; the newest holds one of epoch 2's updates.
        CliTest.Result early = CliTest.gantry("eval", "parzen", r1.toString(), "--checkpoint", "10", "--n", "20", "--generator", "average");
        assertThat(early.code()).isEqualTo(2);
        assertThat(early.err()).contains("train.g_average = 0");
        CliTest.Result now = CliTest.gantry("eval", "parzen", r1.toString(), "--n", "20", "--sigma", "0.2", "--generator", "average");
        assertThat(now.code()).as(now.err()).isZero();
    }

    static List<JsonNode> records(Path run, String metric) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(o -> o.path("metric").asText().equals(metric)).toList();
    }
}
