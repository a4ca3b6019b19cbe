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

    /** A semi-supervised run: D's own test error with its last weights and, with train.d_average, its averaged ones. */
    @Test
    void aSemiSupervisedRunReportsDsOwnClassifierLastAndAveraged() throws Exception {
        Path ss = dir.resolve("ssgan");
        CliTest.Result t = CliTest.gantry("train", "--preset", "ssgan-mnist", "--run-dir", ss.toString(), "--quiet", "--epochs", "1",
                "--set", "data.name=fake", "--set", "data.train_size=400", "--set", "data.labelled=40", "--set", "train.batch_size=20",
                "--set", "train.grid_side=4", "--set", "model.noise_dim=8", "--set", "train.d_average=0.05");
        assertThat(t.code()).as(t.err()).isZero();
        CliTest.Result r = CliTest.gantry("probe", ss.toString(), "--labels", "40", "--json");   // with --json these lines go to stderr
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("D's own classifier (trained with 40 labels): test error")
                .contains("D's own classifier, moving average of its parameters (rate 0.05): test error");
        String metrics = Files.readString(ss.resolve("metrics.jsonl"));
        var last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics.strip().substring(metrics.strip().lastIndexOf('\n') + 1));
        assertThat(last.path("d_classifier_test_error").isNumber()).isTrue();
        assertThat(last.path("d_classifier_averaged_test_error").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.path("d_average").asDouble()).isEqualTo(0.05);
    }
}
