package dev.gantry.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory's lock (one process per run) and the repairs a resume makes (issue #12, findings 7, 8, 9). */
class RunDirectoryTest {

    @TempDir
    Path tmp;

    private RunDirectory run() throws Exception {
        return RunDirectory.create(tmp, "x", tmp.resolve("run"));
    }

    private static String self() {
        return Long.toString(ProcessHandle.current().pid());
    }

    // ---- 8. lock ----

    @Test
    void aSecondLockInTheSameJvmIsRefusedNamingThePid() throws Exception {
        RunDirectory run = run();
        try (RunDirectory.Lock lock = run.lock()) {
            assertThat(Files.readString(run.path().resolve(RunDirectory.LOCK)).strip()).isEqualTo(self());
            assertThatThrownBy(run::lock).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("run " + run.path()).hasMessageContaining("in use by PID " + self());
            // Through another path to the same directory too.
            RunDirectory alias = RunDirectory.create(tmp, "x", tmp.resolve("run/../run"));
            assertThatThrownBy(alias::lock).isInstanceOf(BadInputException.class).hasMessageContaining("in use by PID");
        }
        try (RunDirectory.Lock again = run.lock()) {
            assertThat(again).isNotNull();   // released by close
        }
    }

    @Test
    void aLockThisJvmTookThroughAnotherChannelIsRefusedAndKept() throws Exception {
        // FileChannel locks are per JVM: tryLock on a second channel throws OverlappingFileLockException.
        RunDirectory run = run();
        Path file = run.path().resolve(RunDirectory.LOCK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock other = ch.lock()) {
            assertThatThrownBy(run::lock).isInstanceOf(BadInputException.class).hasMessageContaining("in use by PID " + self());
            assertThat(other.isValid()).isTrue();
        }
        try (RunDirectory.Lock lock = run.lock()) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void theLockFileOfADeadProcessDoesNotBlock() throws Exception {
        RunDirectory run = run();
        Files.writeString(run.path().resolve(RunDirectory.LOCK), "4194303\n");   // left by a process killed with -9
        try (RunDirectory.Lock lock = run.lock()) {
            assertThat(Files.readString(run.path().resolve(RunDirectory.LOCK))).isEqualTo(self() + "\n");
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedUntilThatProcessDies() throws Exception {
        RunDirectory run = run();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), run.path().toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isEqualTo("locked " + p.pid());
            assertThatThrownBy(run::lock).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("in use by PID " + p.pid());
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(run.path().resolve(RunDirectory.LOCK)).strip()).isEqualTo(Long.toString(p.pid()));
        try (RunDirectory.Lock lock = run.lock()) {
            assertThat(Files.readString(run.path().resolve(RunDirectory.LOCK)).strip()).isEqualTo(self());
        }
    }

    @Test
    void aDirectoryHoldingOnlyTheLockFileCountsAsEmpty() throws Exception {
        RunDirectory run = run();
        try (RunDirectory.Lock lock = run.lock()) {
            RunDirectory.requireEmpty(run.path());
        }
        Files.writeString(run.path().resolve("config.json"), "{}");
        assertThatThrownBy(() -> RunDirectory.requireEmpty(run.path())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not empty");
    }

    // ---- 7. orphan temporary files ----

    @Test
    void recoverRemovesOrphanTemporaryFilesAndNothingElse() throws Exception {
        RunDirectory run = run();
        Files.createDirectories(run.checkpoints());
        Files.createDirectories(run.samples());
        // A real one: a write that fails half way leaves nothing; one killed half way leaves this.
        Path real = dev.gantry.util.AtomicFile.createTemp(run.checkpoints().resolve(Checkpoint.fileName(30)));
        List<Path> orphans = List.of(real, run.checkpoints().resolve(".step-000000040.ckpt.0123456789abcdef.tmp"),
                run.path().resolve(".stats.jsonl.1f.tmp"), run.samples().resolve(".epoch-0002.png.ab12.tmp"));
        for (Path p : orphans) {
            Files.write(p, new byte[100]);
        }
        List<Path> kept = List.of(run.checkpoints().resolve(Checkpoint.fileName(20)), run.checkpoints().resolve("x.tmp"),
                run.checkpoints().resolve(".step-000000040.ckpt.tmp"), run.checkpoints().resolve(".step-1.ckpt.XYZ.tmp"),
                run.path().resolve(RunDirectory.LOCK), run.path().resolve("notes.txt"));
        for (Path p : kept) {
            Files.writeString(p, "keep");
        }
        List<String> done = run.recover();
        assertThat(done).hasSize(orphans.size());
        for (Path p : orphans) {
            assertThat(p).doesNotExist();
            assertThat(String.join("\n", done)).contains(p.getFileName().toString());
        }
        for (Path p : kept) {
            assertThat(p).hasContent("keep");
        }
        assertThat(run.recover()).isEmpty();
    }

    // ---- 9. torn last line ----

    @Test
    void aTornLastLineIsCutOffAndACompleteOneGetsItsNewline() throws Exception {
        RunDirectory run = run();
        Path stats = run.path().resolve(RunDirectory.STATS);
        Files.writeString(stats, "{\"step\":1}\n{\"step\":2}\n{\"step\":3,\"loss_d\":0.6");
        Path metrics = run.path().resolve(RunDirectory.METRICS);
        Files.writeString(metrics, "{\"step\":1}\n{\"step\":2,\"v\":NaN}");
        Path events = run.path().resolve(RunDirectory.EVENTS);
        Files.writeString(events, "{\"event\":\"res");   // the only line, torn
        List<String> done = run.recover();
        assertThat(done).hasSize(3);
        assertThat(stats).hasContent("{\"step\":1}\n{\"step\":2}\n");
        assertThat(Files.readString(metrics)).isEqualTo("{\"step\":1}\n{\"step\":2,\"v\":NaN}\n");
        assertThat(Files.readString(events)).isEmpty();
        assertThat(run.recover()).isEmpty();   // nothing more to mend
        // Appending now starts a line of its own.
        run.appendEvent(dev.gantry.config.ConfigLoader.mapper().createObjectNode().put("event", "resumed"));
        assertThat(dev.gantry.report.RunReport.readJsonl(events)).hasSize(1);
    }

    @Test
    void aTornLineAfterALongFileIsFoundAcrossReadBuffers() throws Exception {
        RunDirectory run = run();
        Path stats = run.path().resolve(RunDirectory.STATS);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("{\"step\":").append(i).append(",\"loss_d\":0.693}\n");
        }
        String good = sb.toString();
        Files.writeString(stats, good + "{\"step\":5000," + "x".repeat(200_000));
        run.recover();
        assertThat(Files.readString(stats)).isEqualTo(good);
        assertThat(dev.gantry.report.RunReport.readJsonl(stats)).hasSize(5000);
    }
}
