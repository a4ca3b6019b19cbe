package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gantry probe}: three probes a record, and the label counts it refuses. */
class ProbeCliTest {

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyRun() {
        run = dir.resolve("tiny");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet").code()).isZero();
    }

    @Test
    void probesTheTrainedDThePixelsAndTheUntrainedD() throws Exception {
        CliTest.Result r = CliTest.gantry("probe", run.toString(), "--labels", "40,80");
        assertThat(r.code()).as(r.err()).isZero();
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertThat(metrics).contains("\"metric\":\"probe-d\"").contains("\"labels\":40").contains("\"labels\":80")
                .contains("d_trained_test_error").contains("raw_pixels_test_error").contains("d_untrained_test_error");
        // The fake data's ten classes are bright patches at ten positions: the pixels separate them.
        var last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics.strip().substring(metrics.strip().lastIndexOf('\n') + 1));
        assertThat(last.path("raw_pixels_test_error").asDouble()).isLessThan(0.2);
        assertThat(last.path("raw_pixels_features").asInt()).isEqualTo(784);
        assertThat(last.path("d_trained_features").asInt()).isEqualTo(16);   // the tiny preset's d_units
    }

    @ParameterizedTest
    @CsvSource({"15, multiple of the 10 classes", "30, at least 40", "1000, only", "0, multiple"})
    void badLabelCountsAreRefusedNamingWhy(String n, String why) throws Exception {
        long before = Files.size(run.resolve("metrics.jsonl"));
        CliTest.Result r = CliTest.gantry("probe", run.toString(), "--labels", n);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--labels " + n).contains(why);
        assertThat(Files.size(run.resolve("metrics.jsonl"))).isEqualTo(before);
    }
}
