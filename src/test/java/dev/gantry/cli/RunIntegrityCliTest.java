package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.report.RunReport;
import dev.gantry.run.CheckpointFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line under damage (issue #12), end to end on the tiny preset: damaged checkpoints are
 * refused with exit 2 and nothing touched; a resume cleans what an interrupted run left (orphan
 * temporary files, a torn last JSONL line); a run in use by another process is refused.
 */
class RunIntegrityCliTest {

    @TempDir
    static Path shared;
    static Path run;

    /** Exit code and standard error of one command, through the same runner as CliTest. */
    static CliTest.Result gantry(String... args) {
        return CliTest.gantry(args);
    }

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("tiny-run");
        CliTest.Result r = gantry("train", "--preset", "tiny", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static int copies;

    static synchronized Path copyRun() throws Exception {
        Path copy = shared.resolve("copy-" + ++copies);
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

    /** Every file with its content's hash: "nothing touched" means this map is unchanged. */
    static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), CheckpointFiles.sha256(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    static Path latest(Path runDir) {
        return runDir.resolve("checkpoints").resolve("step-000000020.ckpt");
    }

    /** Resume, sample and eval all refuse the damaged newest checkpoint with exit 2 naming {@code detail}; nothing changes. */
    private static void assertRefusedTouchingNothing(Path copy, String... details) throws Exception {
        Map<String, String> before = contents(copy);
        List<String[]> commands = List.of(
                new String[] {"resume", copy.toString(), "--epochs", "3", "--quiet"},
                new String[] {"sample", copy.toString(), "--n", "4", "--out", copy.resolve("x.npy").toString()},
                new String[] {"eval", "parzen", copy.toString(), "--n", "10"});
        for (String[] args : commands) {
            CliTest.Result r = gantry(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(args[0]).contains("step-000000020.ckpt").contains(details);
        }
        assertThat(contents(copy)).isEqualTo(before);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"g.h1.weight,0.5", "g.h1.weight,0.7", "g.h2.weight,0.3", "g.out.weight,0.6"})
    void aFlippedByteInATensorEntryIsRefused(String tensor, double at) throws Exception {
        Path copy = copyRun();
        CheckpointFiles.flipByte(latest(copy), "tensors/" + tensor, at);
        assertRefusedTouchingNothing(copy, "'" + tensor + "'");
    }

    @Test
    void nonFiniteWeightsAreRefused() throws Exception {
        Path copy = copyRun();
        CheckpointFiles.setFloat(latest(copy), "g.out.weight", 3, Float.NaN);
        assertRefusedTouchingNothing(copy, "g.out.weight", "non-finite");
    }

    @Test
    void aStepThatIsNotAnIntegerIsRefused() throws Exception {
        Path copy = copyRun();
        CheckpointFiles.rewrite(latest(copy), (n, b) -> b, meta -> meta.put("step", "abc"));
        assertRefusedTouchingNothing(copy, "'step'");
    }

    @Test
    void aStepThatDiffersFromTheFileNameIsRefused() throws Exception {
        // The finding: "step" read as 0 made a resume overwrite the older step-000000010.ckpt.
        Path copy = copyRun();
        CheckpointFiles.rewrite(latest(copy), (n, b) -> b, meta -> meta.put("step", 10));
        assertRefusedTouchingNothing(copy, "'step'");
    }

    @Test
    void resumeRemovesOrphanTemporaryFilesOfInterruptedWrites() throws Exception {
        Path copy = copyRun();
        // Named as util.AtomicFile names them: "." + target + "." + random hex + ".tmp".
        List<Path> orphans = List.of(
                copy.resolve("checkpoints/.step-000000015.ckpt.3f9a1c2b7d4e5f60.tmp"),
                copy.resolve("checkpoints/.step-000000020.ckpt.e3b0c44298fc1c14.tmp"),
                copy.resolve(".config.json.5e6f7a8b.tmp"),
                copy.resolve("samples/.epoch-0003.png.77aa88bb.tmp"));
        for (Path p : orphans) {
            Files.write(p, new byte[4096]);
        }
        List<Path> kept = List.of(copy.resolve("checkpoints/notes.tmp"), copy.resolve("checkpoints/step-7.ckpt.bak"),
                copy.resolve("my.tmp"));
        for (Path p : kept) {
            Files.writeString(p, "mine");
        }
        CliTest.Result r = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        for (Path p : orphans) {
            assertThat(p).as(p.toString()).doesNotExist();
        }
        for (Path p : kept) {
            assertThat(p).as(p.toString()).hasContent("mine");
        }
        assertThat(r.err()).contains(".step-000000015.ckpt.3f9a1c2b7d4e5f60.tmp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stats.jsonl", "metrics.jsonl", "events.jsonl"})
    void resumeTruncatesATornLastLine(String file) throws Exception {
        Path copy = copyRun();
        Path f = copy.resolve(file);
        Files.writeString(f, "{\"step\":21,\"epoch\":2,\"loss_d\":0.6", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        CliTest.Result r = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains(file);
        String text = Files.readString(f);
        assertThat(text).endsWith("\n").doesNotContain("\"loss_d\":0.6{");
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            assertThat(ConfigLoader.mapper().readTree(line).isObject()).as(line).isTrue();
        }
        assertThat(RunReport.readJsonl(f)).hasSameSizeAs(lines);
        assertThat(gantry("report", copy.toString()).code()).isZero();
        if (file.equals("events.jsonl")) {
            assertThat(text).contains("\"event\":\"resumed\"");
        }
    }

    // ---- 8. one process per run directory ----

    /** Starts {@code gantry ARGS} in a child JVM with the test class path. */
    private static Process child(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aRunInUseByAnotherProcessIsRefusedAndADeadOnesLockDoesNotBlock() throws Exception {
        Path copy = copyRun();
        Path log = shared.resolve("child.log");
        Process p = child(log, "resume", copy.toString(), "--epochs", "100000", "--quiet");
        try {
            // The child is past its checks and training once it has recorded its resume.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            Path events = copy.resolve("events.jsonl");
            while (!(Files.exists(events) && Files.readString(events).contains("resumed"))) {
                assertThat(p.isAlive()).as("child: " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
                assertThat(System.nanoTime()).as("child did not start training").isLessThan(deadline);
                Thread.sleep(200);
            }
            CliTest.Result second = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
            assertThat(second.code()).as(second.err()).isEqualTo(2);
            assertThat(second.err()).contains(copy.toString()).contains("in use by PID " + p.pid());
            CliTest.Result train = gantry("train", "--preset", "tiny", "--run-dir", copy.toString(), "--quiet");
            assertThat(train.code()).as(train.err()).isEqualTo(2);
        } finally {
            p.destroyForcibly();   // SIGKILL: the lock file stays behind, naming a dead process
            p.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(p.isAlive()).isFalse();
        CliTest.Result after = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
        assertThat(after.code()).as(after.err()).isZero();
        assertThat(after.err()).doesNotContain("in use");
    }

    @Test
    void aSecondResumeOrTrainInTheSameJvmIsRefusedTouchingNothing() throws Exception {
        // FileChannel locks belong to the JVM: a second lock in the same process must be refused too.
        Path copy = copyRun();
        try (var lock = dev.gantry.run.RunDirectory.open(copy).lock()) {
            Map<String, String> before = contents(copy);
            CliTest.Result r = gantry("resume", copy.toString(), "--epochs", "3", "--quiet");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("run " + copy).contains("in use by PID " + ProcessHandle.current().pid());
            assertThat(contents(copy)).isEqualTo(before);
        }
        assertThat(gantry("resume", copy.toString(), "--epochs", "3", "--quiet").code()).isZero();

        Path fresh = shared.resolve("fresh-run");
        Files.createDirectories(fresh);
        try (var lock = dev.gantry.run.RunDirectory.create(shared, "tiny", fresh).lock()) {
            CliTest.Result r = gantry("train", "--preset", "tiny", "--run-dir", fresh.toString(), "--quiet");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("in use by PID");
            try (Stream<Path> s = Files.list(fresh)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(".lock");
            }
        }
    }
}
