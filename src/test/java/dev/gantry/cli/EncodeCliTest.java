package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.format.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry encode}: codes from a run's inference network, and its refusals. */
class EncodeCliTest {

    @TempDir
    static Path dir;
    static Path withQ;
    static Path withoutQ;
    static Path samples;

    @BeforeAll
    static void trainTinyRuns() {
        withQ = dir.resolve("q");
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--set", "model.inferer=true", "--set", "model.q_hidden=16",
                "--run-dir", withQ.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        withoutQ = dir.resolve("plain");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", withoutQ.toString(), "--quiet").code()).isZero();
        samples = dir.resolve("s.npy");
        assertThat(CliTest.gantry("sample", withQ.toString(), "--n", "12", "--out", samples.toString()).code()).isZero();
    }

    @Test
    void encodeWritesOneCodePerImage() throws Exception {
        Path z = dir.resolve("z.npy");
        CliTest.Result r = CliTest.gantry("encode", withQ.toString(), "--samples", samples.toString(), "--out", z.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Npy.Matrix m = Npy.readFloat32(z);
        assertThat(m.rows()).isEqualTo(12);
        assertThat(m.cols()).isEqualTo(8);   // the tiny preset's noise_dim
        long size = Files.size(z);
        r = CliTest.gantry("encode", withQ.toString(), "--samples", samples.toString(), "--out", z.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("already exists");
        assertThat(Files.size(z)).isEqualTo(size);
    }

    @Test
    void aBiganTrainsItsEncoderAndEncodes() throws Exception {
        Path bigan = dir.resolve("bigan");
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--set", "loss.name=bigan", "--set", "model.inferer=true",
                "--set", "model.q_hidden=16", "--run-dir", bigan.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        Path z = dir.resolve("zb.npy");
        assertThat(CliTest.gantry("encode", bigan.toString(), "--samples", samples.toString(), "--out", z.toString()).code()).isZero();
        assertThat(Npy.readFloat32(z).cols()).isEqualTo(8);
        // Without the encoder, or with a penalty over pairs: refused before a run exists.
        for (String bad : new String[] {"model.inferer=false", "loss.gp_weight=10"}) {
            Path target = dir.resolve("never-" + bad.replace('=', '-'));
            r = CliTest.gantry("train", "--preset", "tiny", "--set", "loss.name=bigan", "--set", "model.inferer=true", "--set", bad,
                    "--run-dir", target.toString(), "--quiet");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains(bad.substring(0, bad.indexOf('=')));
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void aRunWithoutQOrAMissingOutIsRefused() {
        Path z = dir.resolve("never.npy");
        CliTest.Result r = CliTest.gantry("encode", withoutQ.toString(), "--samples", samples.toString(), "--out", z.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no inference network").contains("model.inferer");
        r = CliTest.gantry("encode", withQ.toString(), "--samples", samples.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
        assertThat(z).doesNotExist();
    }
}
