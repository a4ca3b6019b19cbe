package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.data.format.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry eval METRIC} and {@code eval all} on real MNIST images, and their answers to bad input. */
class EvalMetricsCliTest {

    @TempDir
    static Path dir;
    static Path real;

    @BeforeAll
    static void writeRealSamples() {
        Dataset mnist = Datasets.named("mnist");
        ImageSet train = mnist.load(Split.TRAIN, new Dataset.Request(null, 50_000, 0, System.err));
        real = dir.resolve("real.npy");
        Npy.writeFloat32(real, train.slice(0, 10_000).pixels(), 10_000, 784);
    }

    record Out(int code, String out, String err) {}

    static synchronized Out gantry(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CliTest.Result r = CliTest.gantry(args);
            return new Out(r.code(), out.toString(StandardCharsets.UTF_8), r.err());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void realImagesCoverEveryClassAndTheRecordNamesTheNetwork() {
        Out o = gantry("eval", "classes10k", "--samples", real.toString(), "--json");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("\"metric\":\"classes10k\"").contains("\"value\":10").contains("\"network_sha256\":\"f2c0ec6b");
    }

    @Test
    void allRunsEveryMetricThatAppliesAndWritesTheFeatures() throws Exception {
        Path features = dir.resolve("feat.npy");
        Out o = gantry("eval", "all", "--samples", real.toString(), "--features", features.toString());
        assertThat(o.code()).as(o.err()).isZero();
        for (String m : new String[] {"parzen10k-test", "classes10k", "cscore10k", "fid-lenet10k", "kid-lenet10k", "pr-lenet10k", "dc-lenet10k"}) {
            assertThat(o.out()).contains(m);
        }
        assertThat(o.err()).contains("skipping stacked-modes26k");
        // all measures in two spaces: one pair of files for each.
        assertThat(features).doesNotExist();
        Npy.Matrix f = Npy.readFloat32(dir.resolve("feat-fc128.npy"));
        Npy.Matrix r = Npy.readFloat32(dir.resolve("feat-fc128-reference.npy"));
        assertThat(f.rows()).isEqualTo(10_000);
        assertThat(f.cols()).isEqualTo(128);
        assertThat(r.rows()).isEqualTo(10_000);
        assertThat(Npy.readFloat32(dir.resolve("feat-conv2-avg64.npy")).cols()).isEqualTo(64);
        assertThat(Npy.readFloat32(dir.resolve("feat-conv2-avg64-reference.npy")).rows()).isEqualTo(10_000);
        // Written again: refused, nothing overwritten.
        Path written = dir.resolve("feat-fc128.npy");
        long size = Files.size(written);
        Out again = gantry("eval", "fid-lenet10k", "--samples", real.toString(), "--features", written.toString().replace("-fc128", ""));
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
        assertThat(Files.size(written)).isEqualTo(size);
    }

    @Test
    void theWrittenFeaturesRecomputeTheScore() throws Exception {
        Path features = dir.resolve("pr.npy");
        Out o = gantry("eval", "pr-lenet10k", "--samples", real.toString(), "--features", features.toString(), "--json");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("\"features\":\"conv2-avg64\"");
        double reported = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.out().strip()).path("value").asDouble();
        Npy.Matrix f = Npy.readFloat32(features);
        Npy.Matrix r = Npy.readFloat32(dir.resolve("pr-reference.npy"));
        assertThat(f.cols()).isEqualTo(64);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            double again = dev.gantry.eval.PrecisionRecall.compute(m, r.data(), r.rows(), f.data(), f.rows(), 64).precision();
            assertThat(again).isEqualTo(reported);
        }
    }

    @Test
    void badSamplesAreRefusedWithTheReason() throws Exception {
        Path few = dir.resolve("few.npy");
        Npy.writeFloat32(few, new float[100 * 784], 100, 784);
        Out o = gantry("eval", "fid-lenet10k", "--samples", few.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("100 samples").contains("10000");

        Path narrow = dir.resolve("narrow.npy");
        Npy.writeFloat32(narrow, new float[10_000 * 2], 10_000, 2);
        o = gantry("eval", "classes10k", "--samples", narrow.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("784");

        float[] bad = new float[10_000 * 784];
        bad[5] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        Npy.writeFloat32(nan, bad, 10_000, 784);
        o = gantry("eval", "cscore10k", "--samples", nan.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("NaN");

        o = gantry("eval", "stacked-modes26k", "--samples", real.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("stacked-mnist");

        Path truncated = dir.resolve("truncated.zip");
        byte[] shipped = Files.readAllBytes(Path.of("src/main/resources/classifiers/mnist-lenet.zip"));
        Files.write(truncated, Arrays.copyOf(shipped, 1000));
        o = gantry("eval", "classes10k", "--samples", real.toString(), "--classifier", truncated.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("truncated.zip");

        o = gantry("eval", "fid-lenet99k", "--samples", real.toString());
        assertThat(o.code()).isEqualTo(2);
    }

    @Test
    void aRunWhoseDatasetHasNoNetworkIsRefusedAndItsMetricsAreUnchanged() throws Exception {
        Path run = dir.resolve("tiny");
        assertThat(CliTest.gantry("train", "--preset", "tiny-dcgan", "--run-dir", run.toString(), "--quiet").code()).isZero();
        byte[] before = Files.readAllBytes(run.resolve("metrics.jsonl"));
        Out o = gantry("eval", "fid-lenet10k", run.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("no feature network ships for fake");
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(before);
    }

    @Test
    void registeredMetricsRunAsMonitorsOnValidationAndAreRefusedEarlyWhenTheyCannot() throws Exception {
        Path run = dir.resolve("monitored");
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet",
                "--set", "monitor.metrics=parzen10k", "--set", "monitor.metrics_every=2");
        assertThat(r.code()).as(r.err()).isZero();
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertThat(metrics).contains("\"metric\":\"parzen10k-valid\"").contains("\"checkpoint\":\"checkpoints/step-000000020.ckpt\"");
        assertThat(Files.readString(run.resolve("report.html"))).contains("parzen10k-valid");

        Path bad = dir.resolve("bad-monitor");
        r = CliTest.gantry("train", "--preset", "tiny", "--run-dir", bad.toString(), "--quiet",
                "--set", "monitor.metrics=fid-lenet10k", "--set", "monitor.metrics_every=1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("monitor.metrics").contains("no feature network ships for fake");
        r = CliTest.gantry("train", "--preset", "tiny", "--run-dir", bad.toString(), "--quiet",
                "--set", "monitor.metrics=sharpness9k", "--set", "monitor.metrics_every=1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("sharpness9k");
        assertThat(bad).doesNotExist();
    }
}
