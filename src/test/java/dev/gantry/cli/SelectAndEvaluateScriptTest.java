package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/select-and-evaluate.sh chooses a checkpoint on validation and scores it once on test, with
 * one generator throughout: a score of G's moving average is never compared with one of the last G.
 * The launcher is a stand-in (GANTRY=...) that logs its arguments and answers from a table, so the
 * test checks the script's choice, not the evaluator.
 */
class SelectAndEvaluateScriptTest {

    @TempDir
    Path dir;
    Path run;
    Path calls;
    Path launcher;

    @BeforeEach
    void aRunWithThreeCheckpoints() throws IOException {
        run = dir.resolve("run");
        Files.createDirectories(run.resolve("checkpoints"));
        for (String s : new String[] {"000000100", "000000200", "000000300"}) {
            Files.write(run.resolve("checkpoints/step-" + s + ".ckpt"), new byte[0]);
        }
        // Steps 100 and 200 were scored on validation while the run trained, with both generators.
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                record(100, 1, 10.0, "average"), record(100, 1, 50.0, "last"),
                record(200, 2, 30.0, "average"), record(200, 2, 5.0, "last")) + "\n");
        calls = dir.resolve("calls.log");
        launcher = dir.resolve("fake-gantry");
        // Step 300 is not scored yet: the stand-in answers 20 for the average, 1 for the last G.
        Files.writeString(launcher, String.join("\n",
                "#!/usr/bin/env bash",
                "echo \"$*\" >> '" + calls + "'",
                "[ \"$1\" = eval ] || exit 0",
                "case \"$*\" in",
                "  *'--split test'*) echo 'Parzen log-likelihood of MNIST test: 99.0 nats'; exit 0 ;;",
                "esac",
                "[ -n \"$FAIL_STEP\" ] && [[ \"$*\" == *\"--checkpoint $FAIL_STEP \"* ]] && { echo \"gantry: step $FAIL_STEP kept no average\" >&2; exit 2; }",
                "case \"$*\" in",
                "  *'--generator average'*) v=20.0 ;;",
                "  *) v=1.0 ;;",
                "esac",
                "echo 'a line before the record'",
                "echo \"{\\\"metric\\\":\\\"parzen10k-valid\\\",\\\"value\\\":$v,\\\"step\\\":300,\\\"epoch\\\":3}\"",
                ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String record(long step, int epoch, double value, String generator) {
        return "{\"metric\":\"parzen10k-valid\",\"value\":" + value + ",\"sigma\":0.2,\"step\":" + step
                + ",\"epoch\":" + epoch + (generator == null ? "" : ",\"generator\":\"" + generator + "\"") + "}";
    }

    private void config(double gAverage) throws IOException {
        Files.writeString(run.resolve("config.json"), "{\n  \"train\" : {\n    \"k\" : 1,\n    \"g_average\" : " + gAverage + "\n  }\n}\n");
    }

    record Result(int code, String out, List<String> calls) {}

    private Result select(String failStep, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "scripts/select-and-evaluate.sh", run.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GANTRY", launcher.toString());
        if (failStep != null) {
            pb.environment().put("FAIL_STEP", failStep);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> c = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        return new Result(p.exitValue(), out, c);
    }

    private String testCall(Result r) {
        return r.calls().stream().filter(c -> c.contains("--split test")).reduce((a, b) -> b).orElse("none");
    }

    @Test
    void aRunThatKeepsAnAverageIsJudgedByTheAverageAlone() throws Exception {
        config(0.001);
        Result r = select(null);
        assertThat(r.code()).as(r.out()).isZero();
        // 30 (step 200) is the best average; the last G's 50 at step 100 is not in the running.
        assertThat(testCall(r)).isEqualTo("eval parzen " + run + " --checkpoint 200 --split test --generator average");
        assertThat(r.calls()).filteredOn(c -> c.contains("--split valid"))
                .containsExactly("eval parzen " + run + " --checkpoint 300 --split valid --generator average --json");
        assertThat(r.out()).contains("moving average").contains("Parzen valid     20.0");
    }

    @Test
    void theLastGIsChosenAmongTheLastGsScores() throws Exception {
        config(0.001);
        Result r = select(null, "last");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(testCall(r)).isEqualTo("eval parzen " + run + " --checkpoint 100 --split test --generator last");
    }

    @Test
    void aRunWithoutAnAverageCountsRecordsThatNameNoGenerator() throws Exception {
        config(0.0);
        // Records written before --generator existed name no generator: they are the last G's.
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                record(100, 1, 7.0, null), record(200, 2, 8.0, null)) + "\n");
        Result r = select(null);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("the last G");
        assertThat(testCall(r)).isEqualTo("eval parzen " + run + " --checkpoint 200 --split test --generator last");
    }

    @Test
    void aCheckpointThatCannotBeScoredIsSkippedWithItsReason() throws Exception {
        config(0.001);
        Files.writeString(run.resolve("metrics.jsonl"), record(200, 2, 3.0, "average") + "\n");
        Result r = select("100");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("step      100  not scored: gantry: step 100 kept no average");
        assertThat(testCall(r)).contains("--checkpoint 300 --split test --generator average");
    }

    @Test
    void anUnknownGeneratorIsBadInputAndScoresNothing() throws Exception {
        config(0.001);
        Result r = select(null, "best");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("expected average or last, got 'best'");
        assertThat(r.calls()).isEmpty();
    }
}
