package dev.gantry.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad sweep files and masters: exit 2 with the reason, quickly, and nothing made. */
class SweepInputTest {

    @TempDir
    Path tmp;

    record Outcome(int code, String err) {}

    private Outcome sweep(String json, String... more) throws IOException {
        Path file = tmp.resolve("s.json");
        Files.writeString(file, json);
        CommandLine cl = SweepCommand.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        String[] args = new String[more.length + 3];
        args[0] = file.toString();
        args[1] = "--dir";
        args[2] = tmp.resolve("out").toString();
        System.arraycopy(more, 0, args, 3, more.length);
        int code = cl.execute(args);
        return new Outcome(code, err.toString());
    }

    private void assertBad(Outcome o, String... parts) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).startsWith("gantry: error: ");
        for (String p : parts) {
            assertThat(o.err()).contains(p);
        }
        assertThat(tmp.resolve("out")).doesNotExist();   // nothing was made
    }

    private static final String OK_GRID = "\"grid\": {\"train.k\": [1, 2]}, \"seeds\": [1]";

    @Test
    void unknownKeyIsNamed() throws IOException {
        assertBad(sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + ", \"seed\": [1]}"), "s.json", "unknown key 'seed'", "seeds");
    }

    @Test
    void emptyGridAndEmptyAxisAreRefused() throws IOException {
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {}, \"seeds\": [1]}"), "grid: empty");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {\"train.k\": []}, \"seeds\": [1]}"), "grid.train.k: empty");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"seeds\": [1]}"), "grid: missing");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {\"train.k\": [1]}, \"seeds\": []}"), "seeds:");
    }

    @Test
    void unknownConfigKeyOrBadValueInACellIsNamed() throws IOException {
        // Gantry's own config loader checks every cell before anything starts.
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {\"train.kk\": [1, 2]}, \"seeds\": [1]}"), "cell kk-1", "train.kk");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {\"train.k\": [1, 0]}, \"seeds\": [1]}"), "cell k-0", "train.k");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"set\": {\"train.k\": 2}, " + OK_GRID + "}"), "train.k is also set by set");
        assertBad(sweep("{\"preset\": \"no-such-preset\", " + OK_GRID + "}"), "unknown preset 'no-such-preset'");
        assertBad(sweep("{\"preset\": \"toy-ring8\", \"grid\": {\"seed\": [1, 2]}, \"seeds\": [1]}"), "set by 'seeds'");
    }

    @Test
    void notJsonIsRefused() throws IOException {
        assertBad(sweep("{\"preset\": \"toy-ring8\", "), "s.json", "not valid JSON");
    }

    @Test
    void unreachableMasterFailsWithinSeconds() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {   // a port that was free a moment ago, now closed
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        Outcome o = sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + "}", "--master", "spark://127.0.0.1:" + port);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertBad(o, "cannot reach the Spark master", "127.0.0.1:" + port);
        assertThat(seconds).isLessThan(5);
        assertBad(sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + "}", "--master", "spark://no-such-host.invalid:7077"),
                "no-such-host.invalid:7077", "unknown host");
        assertBad(sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + "}", "--master", "yarn"), "expected local");
        assertBad(sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + "}", "--master", "spark://127.0.0.1"), "expected spark://HOST:PORT");
    }

    @Test
    void tooFewLocalCoresForTheThreadsIsRefused() throws IOException {
        assertBad(sweep("{\"preset\": \"toy-ring8\", " + OK_GRID + ", \"threads_per_trial\": 2}", "--master", "local[1]"),
                "local[1] has 1 core(s)", "threads_per_trial = 2");
    }

    @Test
    void trialsAreTheGridTimesTheSeeds() throws IOException {
        Path file = tmp.resolve("g.json");
        Files.writeString(file, """
                {"preset": "toy-ring8", "set": {"train.epochs": 1},
                 "grid": {"train.k": [1, 5],
                          "loss": {"ns": {"loss.name": "gan", "loss.generator": "non-saturating"}, "hinge": {"loss.name": "hinge"}}},
                 "seeds": [3, 4, 5]}""");
        SweepSpec spec = SweepSpec.read(file);
        List<Trial> trials = spec.trials();
        assertThat(trials).hasSize(2 * 2 * 3);
        assertThat(trials).extracting(Trial::name).doesNotHaveDuplicates()
                .startsWith("k-1_loss-ns_seed-3", "k-1_loss-ns_seed-4", "k-1_loss-ns_seed-5", "k-1_loss-hinge_seed-3")
                .endsWith("k-5_loss-hinge_seed-5");
        Trial t = trials.get(3);
        assertThat(t.sets()).containsExactly("train.epochs=1", "train.k=1", "loss.name=hinge");
        assertThat(t.labels()).containsEntry("train.k", "1").containsEntry("loss", "hinge");
        // Spark gets them seed by seed, cells in grid order within a seed.
        assertThat(SweepCommand.seedMajor(trials, spec)).extracting(Trial::name)
                .startsWith("k-1_loss-ns_seed-3", "k-1_loss-hinge_seed-3", "k-5_loss-ns_seed-3", "k-5_loss-hinge_seed-3",
                        "k-1_loss-ns_seed-4")
                .endsWith("k-5_loss-hinge_seed-5").hasSize(12);
    }
}
