package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.format.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line end to end on the tiny preset, and its answers to bad input. */
class CliTest {

    @TempDir
    static Path shared;
    static Path run;

    /** Exit code and standard error of one command. */
    record Result(int code, String err) {}

    static synchronized Result gantry(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.newCommandLine();
            cl.setErr(new java.io.PrintWriter(System.err, true));
            return new Result(cl.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("tiny-run");
        Result r = gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void trainWritesTheRunDirectory() throws Exception {
        for (String f : List.of("config.json", "provenance.json", "stats.jsonl", "metrics.jsonl", "report.html",
                "samples/epoch-0000.png", "samples/epoch-0001.png", "samples/epoch-0002.png")) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readString(run.resolve("provenance.json"))).contains("\"seed\"").contains("djl_version").contains("threads");
        String stats = Files.readString(run.resolve("stats.jsonl"));
        assertThat(stats).contains("\"loss_d\"").contains("\"d_fake\"").contains("\"grad_norm_g\"").contains("\"momentum\"");
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("parzen-valid");
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).anyMatch(n -> n.endsWith(".ckpt"));
        }
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws Exception {
        Map<String, Long> before = sizes(run);
        Result r = gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(run.toString()).contains("never overwritten");
        assertThat(sizes(run)).isEqualTo(before);
    }

    @Test
    void resumeContinuesToMoreEpochs() throws Exception {
        Path copy = copyRun("resume-copy");
        assertThat(gantry("resume", copy.toString(), "--epochs", "3", "--quiet").code()).isZero();
        assertThat(copy.resolve("samples/epoch-0003.png")).isRegularFile();
        assertThat(Files.readString(copy.resolve("config.json"))).contains("\"epochs\" : 3");
        String events = Files.readString(copy.resolve("events.jsonl"));
        assertThat(events).contains("\"event\":\"resumed\"").contains("\"checkpoint\":\"checkpoints/step-");
    }

    @Test
    void sampleWritesNpyAndPngAndNeverOverwrites() throws Exception {
        Path npy = shared.resolve("s.npy");
        assertThat(gantry("sample", run.toString(), "--n", "16", "--out", npy.toString()).code()).isZero();
        Npy.Matrix m = Npy.readImages(npy, 784);
        assertThat(m.rows()).isEqualTo(16);
        byte[] bytes = Files.readAllBytes(npy);
        Result again = gantry("sample", run.toString(), "--n", "16", "--out", npy.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(Files.readAllBytes(npy)).isEqualTo(bytes);

        Path png = shared.resolve("s.png");
        assertThat(gantry("sample", run.toString(), "--n", "9", "--out", png.toString()).code()).isZero();
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void figuresWritesFigures2And3() throws Exception {
        Path copy = copyRun("figures-copy");
        assertThat(gantry("figures", copy.toString(), "--rows", "3", "--cols", "4", "--steps", "5").code()).isZero();
        try (Stream<Path> s = Files.list(copy.resolve("figures"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2).anyMatch(n -> n.startsWith("fig2-nearest")).anyMatch(n -> n.startsWith("fig3-interpolation"));
            for (String n : names) {
                var img = javax.imageio.ImageIO.read(copy.resolve("figures").resolve(n).toFile());
                assertThat(img.getHeight()).isEqualTo(3 * (28 * 2 + 1) + 1);
            }
        }
    }

    @Test
    void samplingIsDeterministicForASeed() throws Exception {
        Path a = shared.resolve("a.npy");
        Path b = shared.resolve("b.npy");
        gantry("sample", run.toString(), "--n", "8", "--out", a.toString(), "--seed", "5");
        gantry("sample", run.toString(), "--n", "8", "--out", b.toString(), "--seed", "5");
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void aCorruptCheckpointIsRefusedAndLeftAlone() throws Exception {
        Path copy = copyRun("corrupt-copy");
        Path ckpt;
        try (Stream<Path> s = Files.list(copy.resolve("checkpoints"))) {
            ckpt = s.filter(p -> p.toString().endsWith(".ckpt")).sorted().reduce((x, y) -> y).orElseThrow();
        }
        byte[] full = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(full, full.length / 3));
        Map<String, Long> before = sizes(copy);
        Result r = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(ckpt.getFileName().toString());
        assertThat(sizes(copy)).isEqualTo(before);
        assertThat(gantry("sample", copy.toString(), "--n", "4", "--out", copy.resolve("x.npy").toString()).code()).isEqualTo(2);
        assertThat(gantry("eval", "parzen", copy.toString(), "--n", "10").code()).isEqualTo(2);
        assertThat(gantry("figures", copy.toString()).code()).isEqualTo(2);
        assertThat(sizes(copy)).isEqualTo(before);
    }

    @Test
    void evalRejectsOutOfRangeAndWrongTypeFiles(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.npy");
        float[] v = new float[2 * 784];
        v[5] = 1.5f;
        Npy.writeFloat32(big, v, 2, 784);
        Result r = gantry("eval", "parzen", "--samples", big.toString(), "--n", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("big.npy");
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "not a numpy file");
        r = gantry("eval", "parzen", "--samples", text.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("text.npy");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train --preset nope --quiet|nope",
            "train --preset tiny --set optim.lr=-1 --quiet|optim.lr",
            "train --preset tiny --set train.batch_size=0 --quiet|train.batch_size",
            "train --preset tiny --set train.k=0 --quiet|train.k",
            "train --preset tiny --set optim.lr=abc --quiet|optim.lr",
            "train --preset tiny --set no.such=1 --quiet|no.such",
            "train --preset tiny --epochs 0 --quiet|train.epochs",
            "train --preset tiny --epochs x --quiet|--epochs",
            "data fetch cifar|cifar",
            "bench step --steps 0|--steps",
            "bench step --blocks 0 --json|--blocks",
            "bench memory --preset nope|nope",
            "bench memory --set no.such=1|no.such",
            "config show --set no.such=1|no.such",
            "config show --preset nope|nope",
            "sample x --n 1 --out x.npy --seed abc|--seed",
            "eval parzen --samples x.npy --json --seed abc|--seed"})
    void badArgumentsExitTwoNamingTheKey(String args, String key) {
        Result r = gantry(args.split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(key);
    }

    @Test
    void trainHelpNamesEveryPreset() {
        String help = Main.newCommandLine().getSubcommands().get("train").getUsageMessage();
        for (String preset : dev.gantry.config.ConfigLoader.PRESETS) {
            assertThat(help).as(preset).contains(preset);
        }
    }

    @Test
    void aDirectoryThatIsNotARunIsRefused(@TempDir Path empty) {
        for (String[] args : List.of(
                new String[] {"resume", empty.toString()},
                new String[] {"sample", empty.toString(), "--n", "2", "--out", empty.resolve("x.npy").toString()},
                new String[] {"report", empty.toString()},
                new String[] {"eval", "parzen", empty.toString()})) {
            Result r = gantry(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("not a Gantry run directory");
        }
    }

    @Test
    void missingMnistSaysHowToFetch(@TempDir Path empty) {
        Result r = gantry("train", "--preset", "paper-mnist", "--set", "data.dir=" + empty, "--runs", empty.resolve("runs").toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("gantry data fetch mnist");
        assertThat(empty.resolve("runs")).doesNotExist();
    }

    @Test
    void evalRejectsBadSampleFilesBeforeLoadingAnything(@TempDir Path dir) throws Exception {
        Path wide = dir.resolve("wide.npy");
        Npy.writeFloat32(wide, new float[3 * 10], 3, 10);
        Result r = gantry("eval", "parzen", "--samples", wide.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("wide.npy").contains("784");

        Path few = dir.resolve("few.npy");
        Npy.writeFloat32(few, new float[5 * 784], 5, 784);
        r = gantry("eval", "parzen", "--samples", few.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("few.npy").contains("fewer");

        Path nan = dir.resolve("nan.npy");
        float[] v = new float[2 * 784];
        v[17] = Float.NaN;
        Npy.writeFloat32(nan, v, 2, 784);
        r = gantry("eval", "parzen", "--samples", nan.toString(), "--n", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nan.npy");
    }

    static Path copyRun(String name) throws Exception {
        Path copy = shared.resolve(name);
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path target = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    static Map<String, Long> sizes(Path dir) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.size(p) ^ Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    /** Mixin classes (nested ones included) of a command, by simple class name. */
    private static List<picocli.CommandLine.Model.CommandSpec> mixins(picocli.CommandLine.Model.CommandSpec spec) {
        List<picocli.CommandLine.Model.CommandSpec> all = new java.util.ArrayList<>();
        for (var m : spec.mixins().values()) {
            all.add(m);
            all.addAll(mixins(m));
        }
        return all;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train|ConfigOptions EpochsOption QuietOption|--preset --config --set --epochs --quiet",
            "resume|EpochsOption QuietOption|--epochs --quiet",
            "sample|CheckpointOption NoiseSeedOption|--checkpoint --seed",
            "eval parzen|CheckpointOption NoiseSeedOption JsonOption|--checkpoint --seed --json",
            "eval modes|JsonOption|--json",
            "figures|CheckpointOption NoiseSeedOption|--checkpoint --seed",
            "bench step|PresetOptions JsonOption|--preset --set --json",
            "bench memory|PresetOptions JsonOption|--preset --set --json",
            "config show|ConfigOptions|--preset --config --set",
            "lab optimal-d|Common JsonOption|--json --seed --out",
            "lab force-field|Common JsonOption|--json --seed --out"})
    void sharedOptionsComeFromTheMixins(String command, String mixinNames, String options) {
        picocli.CommandLine cl = Main.newCommandLine();
        for (String word : command.split(" ")) {
            cl = cl.getSubcommands().get(word);
        }
        String help = cl.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
        List<picocli.CommandLine.Model.CommandSpec> mixins = mixins(cl.getCommandSpec());
        assertThat(mixins.stream().map(m -> m.userObject().getClass().getSimpleName()).toList())
                .as(command).containsAll(List.of(mixinNames.split(" ")));
        for (String option : options.split(" ")) {
            assertThat(help).as(command + " --help").containsPattern(java.util.regex.Pattern.quote(option) + "[=\\s\\]]");
            assertThat(mixins).as(command + " " + option + " comes from a mixin").anyMatch(m -> m.findOption(option) != null);
        }
    }

    @Test
    void mixinDefaultsAreEachCommandsOwn() {
        picocli.CommandLine cl = Main.newCommandLine();
        var bench = cl.getSubcommands().get("bench");
        BenchCommand.Step step = bench.getSubcommands().get("step").getCommand();
        BenchCommand.Memory memory = bench.getSubcommands().get("memory").getCommand();
        cl.parseArgs("bench", "memory", "--preset", "tiny", "--set", "train.k=2");
        assertThat(memory.config.preset).isEqualTo("tiny");
        cl.parseArgs("bench", "memory");            // picocli restores the defaults before each parse
        assertThat(memory.config.preset).isEqualTo("toy-ring8");
        assertThat(memory.config.sets).isEmpty();
        cl.parseArgs("bench", "step");
        assertThat(step.config.preset).isEqualTo("paper-mnist");
        assertThat(step.steps).isEqualTo(50);
        assertThat(step.blocks).isEqualTo(5);
        assertThat(step.json.json).isFalse();
        assertThat(bench.getSubcommands().get("memory").getUsageMessage()).contains("(default: toy-ring8)");
        assertThat(bench.getSubcommands().get("step").getUsageMessage()).contains("(default: paper-mnist)");

        SampleCommand sample = cl.getSubcommands().get("sample").getCommand();
        cl.parseArgs("sample", "r", "--n", "1", "--out", "x.npy");
        assertThat(sample.checkpoint.checkpoint).isEqualTo("latest");
        assertThat(sample.seed.seed).isZero();

        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        cl.parseArgs("train", "--epochs", "3", "--seed", "7", "--set", "optim.lr=0.05");
        assertThat(train.config.load(List.of()).preset()).isEqualTo("paper-mnist");
        assertThat(train.config.args()).containsExactly("--set optim.lr=0.05");
        assertThat(train.epochs.sets()).containsExactly("train.epochs=3");
        assertThat(train.quiet.quiet).isFalse();
    }

    @Test
    void aBadCheckpointExitsTwoNamingTheOption() {
        for (String[] args : List.of(
                new String[] {"sample", run.toString(), "--checkpoint", "nope", "--n", "2", "--out", shared.resolve("c.npy").toString()},
                new String[] {"figures", run.toString(), "--checkpoint", "nope"},
                new String[] {"eval", "parzen", run.toString(), "--checkpoint", "nope", "--n", "10"})) {
            Result r = gantry(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--checkpoint");
        }
        Result r = gantry("sample", run.toString(), "--checkpoint", "999999", "--n", "2", "--out", shared.resolve("c.npy").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(shared.resolve("c.npy")).doesNotExist();
    }

    @Test
    void benchStepTimesTheConvolutionsOfADcganStep() throws Exception {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r = gantry("bench", "step", "--preset", "tiny-dcgan", "--steps", "2", "--blocks", "1", "--json");
        } finally {
            System.setOut(oldOut);
        }
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        var o = dev.gantry.config.ConfigLoader.mapper().readTree(lines[lines.length - 1]);
        for (String field : List.of("preset", "batch", "threads", "step_ms", "matmul_ms", "ratio", "matmuls_per_step",
                "gflop_per_step", "matmul_gflops", "target_ratio", "reference", "counted", "breakdown", "layers")) {
            assertThat(o.has(field)).as(field + " in " + o).isTrue();
        }
        assertThat(o.path("preset").asText()).isEqualTo("tiny-dcgan");
        assertThat(o.path("target_ratio").asDouble()).isEqualTo(1.5);
        assertThat(o.path("matmuls_per_step").asInt()).isEqualTo(15);   // alternating, k = 1: 6 runs in G, 9 in D
        assertThat(o.path("step_ms").asDouble()).isPositive();
        assertThat(o.path("matmul_ms").asDouble()).isPositive();
        List<String> kinds = new java.util.ArrayList<>();
        int runs = 0;
        for (var k : o.path("breakdown")) {
            kinds.add(k.path("kind").asText());
            runs += k.path("runs_per_step").asInt();
            assertThat(k.path("ms").asDouble()).isPositive();
        }
        assertThat(kinds).containsExactly("dense", "conv", "conv-transpose");
        assertThat(runs).isEqualTo(15);
        assertThat(o.path("layers")).hasSize(12);
    }
}
