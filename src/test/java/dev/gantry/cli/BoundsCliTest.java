package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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
