package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sizes that used to end in exit 1 with a stack trace (issue #12, finding 3) are refused with
 * exit 2 naming the key or option and the limit, before anything is created.
 */
class BoundsCliTest {

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyRun() {
        run = dir.resolve("tiny");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet").code()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"train.k=100|train.k", "train.grid_side=50000|train.grid_side", "monitor.parzen_samples=1000000000|monitor.parzen_samples",
            "monitor.parzen_points=1000000000|monitor.parzen_points"})
    void oversizedKeysAreRefusedBeforeTheRunDirectoryExists(String c) {
        String[] kv = c.split("\\|");
        assertThat(kv).hasSize(2);
        Path target = dir.resolve("r-" + kv[1]);
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--set", kv[0], "--set", "train.schedule=alternating",
                "--run-dir", target.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(kv[1]).doesNotContain("Exception");
        assertThat(target).doesNotExist();
    }

    /**
     * Sizes near 10^9 (issue #12, finding 3, the rest): refused from what they imply — a tensor of
     * more than 536,870,909 values (a checkpoint keeps one in a Java array of 4 bytes a value), a
     * training set of more values than one Java array holds, a minibatch of more values than one
     * tensor, or more than the JVM's heap — before the data are loaded or the run directory exists.
     * Before the fix each of these ended in exit 1 (OutOfMemoryError, a negative array size, a
     * native allocation failure).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tiny|model.g_hidden=1000000000|model.g_hidden|536,870,909 that fit one tensor",
            "tiny|model.noise_dim=2000000000|model.noise_dim|536,870,909 that fit one tensor",
            "tiny|model.d_units=1000000000|model.d_units|536,870,909 that fit one tensor",
            "tiny|model.g_layers=1000000000|model.g_layers|maximum of",
            "tiny-dcgan|model.width=1000000000|model.width|536,870,909 that fit one tensor",
            "tiny-dcgan|model.depth=33|model.depth|depth is at most",
            "tiny|data.train_size=1000000000|data.train_size|at most data.train_size = 2,739,137",
            "tiny|data.train_size=1000000000,train.batch_size=1000000000|train.batch_size|at most train.batch_size = 684,784",
            "toy-ring8|data.train_size=1000000000|data.train_size|maximum of"})
    void sizesTheMemoryCannotHoldAreRefusedBeforeAnythingIsMade(String preset, String sets, String key, String limit) {
        Path target = dir.resolve("m-" + preset + "-" + sets.replace(',', '-').replace('=', '-'));
        List<String> args = new ArrayList<>(List.of("train", "--preset", preset, "--run-dir", target.toString(), "--quiet"));
        for (String set : sets.split(",")) {
            args.addAll(List.of("--set", set));
        }
        CliTest.Result r = CliTest.gantry(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(key).contains(limit).doesNotContain("Exception").doesNotContain("OutOfMemory");
        assertThat(target).doesNotExist();
    }

    @Test
    void sampleRefusesAnOverflowingCountAndAFileAsParentDirectory() throws Exception {
        CliTest.Result r = CliTest.gantry("sample", run.toString(), "--n", "3000000", "--out", dir.resolve("big.npy").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--n 3000000").contains("at most --n");
        assertThat(dir.resolve("big.npy")).doesNotExist();
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        r = CliTest.gantry("sample", run.toString(), "--n", "4", "--out", file.resolve("s.npy").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is a file, not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }
}
