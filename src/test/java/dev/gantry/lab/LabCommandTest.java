package dev.gantry.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.BadInputException;
import dev.gantry.cli.LabCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gantry lab}: bad parameters exit 2 naming the option; output is one line or one JSON object. */
class LabCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run lab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = LabCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "optimal-d|--steps|0",
            "optimal-d|--lr|-1",
            "optimal-d|--g-std|0",
            "optimal-d|--data|cauchy",
            "optimal-d|--activation|tanh",
            "value-identity|--width|0",
            "figure1|--generator|gan",
            "figure1|--k|0",
            "figure1|--data-std|-0.5",
            "saturation|--d-steps|0",
            "saturation|--train-steps|-1",
            "saturation|--lr-g|NaN",
            "disjoint|--half-width|0",
            "disjoint|--grad-thetas|1,-1",
            "disjoint|--points|1",
            "force-field|--snapshots|10,5",
            "force-field|--arrows|0",
            "force-field|--g-std|Infinity",
    })
    void aBadValueExitsTwoNamingTheOption(String experiment, String option, String value) {
        Run r = lab(experiment, option, value, "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(option);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anOutputPathThatIsAFileIsBadInput() throws Exception {
        Path file = java.nio.file.Files.writeString(tmp.resolve("f"), "x");
        Run r = lab("disjoint", "--out", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
    }

    @Test
    void unparsableNumbersAreUsageErrorsWithExitTwo() {
        Run r = lab("saturation", "--lr-g", "fast");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--lr-g");
    }

    @Test
    void paramsRejectBadValuesDirectlyToo() {
        assertThatThrownBy(() -> OptimalD.Params.defaults().withSteps(-5))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--steps");
        assertThatThrownBy(() -> Disjoint.Params.defaults().withBudget(List.of(), 10))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--grad-thetas");
        assertThatThrownBy(() -> ForceField.Params.defaults().withSnapshots(List.of(0)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--snapshots");
        assertThatThrownBy(() -> Figure1.Params.defaults().withSteps(2))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--steps");
    }

    @Test
    void jsonOutputIsOneObjectNamingTheExperiment() throws Exception {
        Run r = lab("disjoint", "--points", "5", "--grad-thetas", "1", "--d-steps", "5", "--json", "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("experiment").asText()).isEqualTo("disjoint");
        assertThat(o.get("jsd_at_max").asDouble()).isEqualTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(o.get("gradients").get(0).get("wasserstein").asDouble()).isEqualTo(1.0);
        assertThat(o.get("pngs")).hasSize(2);
        assertThat(tmp.resolve("disjoint.png")).isRegularFile();
    }

    @Test
    void plainOutputIsOneLineWithTheNumber() {
        Run r = lab("saturation", "--d-steps", "20", "--train-steps", "0", "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        assertThat(r.out()).startsWith("saturation: D(G(z)) = ").contains("ratio");
        Run json = lab("saturation", "--d-steps", "20", "--train-steps", "0", "--json", "--out", tmp.toString());
        assertThat(json.out()).contains("\"jsd_minimax\":null");   // skipped phase: NaN becomes null
    }
}
