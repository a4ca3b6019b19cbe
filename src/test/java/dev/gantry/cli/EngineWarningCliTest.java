package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's "AutoNonVariableTypeMode is deprecated" warning, printed by the engine's native code
 * straight to the process's stderr, once per process, was printed by every train, resume and
 * sample: DJL's {@code NDArray.set(Buffer)} (native {@code torchSet}) takes that deprecated guard,
 * and Gantry set a paper generator's output bias and every restored tensor with it. Native
 * output bypasses {@code System.err}, so this runs the commands in a JVM of their own and reads
 * its stderr.
 */
class EngineWarningCliTest {

    @Test
    void trainResumeAndSamplePrintNoEngineDeprecationWarning(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), ChildCommands.class.getName(),
                "train", "--preset", "tiny", "--run-dir", run.toString(), "--epochs", "1", "--quiet", ";",
                "resume", run.toString(), "--epochs", "2", "--quiet", ";",
                "sample", run.toString(), "--n", "4", "--out", dir.resolve("s.npy").toString(), ";",
                "eval", "parzen", run.toString(), "--n", "10"));
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("trained " + run).contains("resuming " + run);   // the commands ran
        assertThat(dir.resolve("s.npy")).isRegularFile();
        assertThat(out).doesNotContain("AutoNonVariableTypeMode").doesNotContain("Warning:");
    }
}
