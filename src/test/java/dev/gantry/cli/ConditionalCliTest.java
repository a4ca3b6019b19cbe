package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.format.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conditional runs end to end: training, sampling chosen classes, the refusals of issue #11's bad input. */
class ConditionalCliTest {

    @TempDir
    static Path dir;
    static Path conditional;
    static Path plain;

    @BeforeAll
    static void trainTinyRuns() {
        conditional = dir.resolve("cond");
        CliTest.Result r = CliTest.gantry("train", "--preset", "tiny", "--set", "model.conditional=true", "--run-dir", conditional.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        plain = dir.resolve("plain");
        assertThat(CliTest.gantry("train", "--preset", "tiny", "--run-dir", plain.toString(), "--quiet").code()).isZero();
    }

    @Test
    void samplesOfChosenClassesDifferFromOtherClassesFromTheSameNoise() throws Exception {
        Path a = dir.resolve("c3.npy");
        Path b = dir.resolve("c7.npy");
        assertThat(CliTest.gantry("sample", conditional.toString(), "--n", "6", "--class", "3", "--out", a.toString()).code()).isZero();
        assertThat(CliTest.gantry("sample", conditional.toString(), "--n", "6", "--class", "7", "--out", b.toString()).code()).isZero();
        Npy.Matrix x3 = Npy.readFloat32(a);
        Npy.Matrix x7 = Npy.readFloat32(b);
        assertThat(x3.rows()).isEqualTo(6);
        double diff = 0;
        for (int i = 0; i < x3.data().length; i++) {
            diff = Math.max(diff, Math.abs(x3.data()[i] - x7.data()[i]));
        }
        assertThat(diff).as("same noise seed, another class").isGreaterThan(1e-4);
        // --classes 3,7 alternates them row by row, from the same noise: rows 0 and 1 are those of the runs above.
        Path both = dir.resolve("c37.npy");
        assertThat(CliTest.gantry("sample", conditional.toString(), "--n", "6", "--classes", "3,7", "--out", both.toString()).code()).isZero();
        Npy.Matrix x37 = Npy.readFloat32(both);
        int d = x37.cols();
        for (int j = 0; j < d; j++) {
            assertThat(x37.data()[j]).isEqualTo(x3.data()[j]);
            assertThat(x37.data()[d + j]).isEqualTo(x7.data()[d + j]);
        }
    }

    @Test
    void aConditionalGridHasOneRowPerClass() throws Exception {
        Path png = dir.resolve("grid.png");
        assertThat(CliTest.gantry("sample", conditional.toString(), "--n", "30", "--classes", "0,1,2", "--out", png.toString()).code()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 rows of 10 tiles, each 28 px drawn at scale 2, with 1 px lines between and around them.
        assertThat(img.getHeight()).isEqualTo(3 * 56 + 4);
        assertThat(img.getWidth()).isEqualTo(10 * 56 + 11);
    }

    @Test
    void badClassRequestsExitTwoAndWriteNothing() {
        Path out = dir.resolve("never.npy");
        CliTest.Result r = CliTest.gantry("sample", conditional.toString(), "--n", "4", "--class", "10", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--class 10").contains("0 to 9");
        r = CliTest.gantry("sample", conditional.toString(), "--n", "4", "--class", "-1", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        r = CliTest.gantry("sample", plain.toString(), "--n", "4", "--class", "3", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unconditionally");
        assertThat(out).doesNotExist();
    }

    @Test
    void aConditionalGanOnUnlabelledDataIsRefusedBeforeTheRunExists() {
        Path target = dir.resolve("ring");
        CliTest.Result r = CliTest.gantry("train", "--preset", "toy-ring8", "--set", "model.conditional=true", "--run-dir", target.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model.conditional").contains("labelled");
        assertThat(target).doesNotExist();
    }

    @Test
    void agreementNeedsAConditionalRun() throws Exception {
        Path samples = dir.resolve("s.npy");
        Npy.writeFloat32(samples, new float[10_000 * 784], 10_000, 784);
        CliTest.Result r = CliTest.gantry("eval", "agreement10k", "--samples", samples.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("conditional");
        assertThat(Files.exists(conditional.resolve("config.json"))).isTrue();
    }
}
