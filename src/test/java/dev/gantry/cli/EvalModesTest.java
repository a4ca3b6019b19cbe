package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.data.ToyMixture;
import dev.gantry.data.format.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry eval modes} (PacGAN protocol, Lin et al. 2018) on small .npy fixtures. */
class EvalModesTest {

    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one command. */
    record Run(int code, String out, String err) {}

    static Run gantry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path npy(String name, float[] data, int rows, int cols) {
        Path f = dir.resolve(name);
        Npy.writeFloat32(f, data, rows, cols);
        return f;
    }

    @Test
    void perfectSamplesPrintTheOneLineSummary() {
        Path f = npy("ring.npy", ToyMixture.RING8.sample(2500, 1), 2500, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches(
                "ring8: 8/8 modes, 9[89]\\.\\d% high quality, reverse KL 0\\.00\\d \\(2500 samples\\)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aCollapsedGeneratorShowsOneModeAndKlLogK() {
        ToyMixture m = ToyMixture.GRID25;
        float[] s = ToyMixture.of("one", new double[][] {{m.mean(0, 0), m.mean(0, 1)}}, m.std()).sample(2500, 2);
        Run r = gantry("eval", "modes", "--samples", npy("collapsed.npy", s, 2500, 2).toString(), "--mixture", "grid25");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("grid25: 1/25 modes, ").contains(String.format(java.util.Locale.ROOT, "reverse KL %.3f", Math.log(25)));
    }

    @Test
    void jsonHasTheResultFields() throws Exception {
        Path f = npy("grid.npy", ToyMixture.GRID25.sample(2500, 3), 2500, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "grid25", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.path("mixture").asText()).isEqualTo("grid25");
        assertThat(j.path("modes").asInt()).isEqualTo(25);
        assertThat(j.path("modes_captured").asInt()).isEqualTo(25);
        assertThat(j.path("samples").asInt()).isEqualTo(2500);
        assertThat(j.path("high_quality_fraction").asDouble()).isBetween(0.975, 1.0);
        assertThat(j.path("reverse_kl").isNumber()).isTrue();
        assertThat(j.path("histogram").size()).isEqualTo(25);
    }

    @Test
    void noHighQualitySampleGivesANullKlInJson() throws Exception {
        Path f = npy("far.npy", new float[] {10, 10, -10, 10}, 2, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).path("reverse_kl").isNull()).isTrue();
        Run text = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(text.out()).contains("0/8 modes, 0.0% high quality, reverse KL undefined");
    }

    @Test
    void anotherSampleCountWarnsButProceeds() {
        Path f = npy("small.npy", ToyMixture.RING8.sample(100, 4), 100, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning").contains("100 samples").contains("2500");
        assertThat(r.out()).contains("(100 samples)");
    }

    @Test
    void theWrongWidthIsBadInput() {
        Path f = npy("mnist.npy", new float[3 * 784], 3, 784);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f.toString()).contains("(3, 784)").contains("(N, 2)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nanIsBadInputNamingTheRow() {
        float[] s = ToyMixture.RING8.sample(20, 5);
        s[2 * 13] = Float.NaN;
        Path f = npy("nan.npy", s, 20, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f.toString()).contains("row 13").contains("NaN");
    }

    @Test
    void anUnknownMixtureIsBadInputListingTheNames() {
        Path f = npy("ok.npy", ToyMixture.RING8.sample(10, 6), 10, 2);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring7");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ring7").contains("ring8").contains("grid25");
    }

    @Test
    void aMissingFileIsBadInput() {
        Path f = dir.resolve("absent.npy");
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f.toString()).contains("missing");
        assertThat(f).doesNotExist();
    }

    @Test
    void anEmptyFileIsBadInput() throws Exception {
        Path f = npy("empty.npy", new float[0], 0, 2);
        long size = Files.size(f);
        Run r = gantry("eval", "modes", "--samples", f.toString(), "--mixture", "ring8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f.toString()).contains("at least 1");
        assertThat(Files.size(f)).isEqualTo(size);
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertThat(gantry("eval", "modes", "--mixture", "ring8").code()).isEqualTo(2);
        assertThat(gantry("eval", "modes", "--samples", "x.npy").code()).isEqualTo(2);
    }
}
