package dev.gantry.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading metrics.jsonl into rows, and mean ± s.e. per cell. */
class SweepReportTest {

    @TempDir
    Path tmp;

    @Test
    void theLastRecordOfAMetricIsRead() throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"metric":"modes-ring8","value":5,"high_quality":0.1,"reverse_kl":0.9,"step":10,"epoch":1}
                {"metric":"parzen-valid","value":-3.5,"step":10,"epoch":1}
                {"metric":"modes-ring8","value":7,"high_quality":0.4,"step":20,"epoch":2}
                """);
        Trial t = new Trial("k-1", Map.of("train.k", "1"), List.of("train.k=1"), 1);
        TrialResult ok = new TrialResult(t.name(), "ok", 1, 1, 3.0, "");
        SweepReport.Row row = SweepReport.row(t, ok, run, List.of("modes", "modes.high_quality", "modes.reverse_kl", "parzen"));
        assertThat(row.metrics()).containsEntry("modes", 7.0).containsEntry("modes.high_quality", 0.4)
                .containsEntry("parzen", -3.5)
                .doesNotContainKey("modes.reverse_kl");   // the last modes record has none: not the earlier one's
        assertThat(row.epoch()).isEqualTo(2);
    }

    @Test
    void aCellIsAveragedOverItsFinishedTrialsOnly() throws IOException {
        Path file = tmp.resolve("s.json");
        Files.writeString(file, "{\"preset\": \"toy-ring8\", \"grid\": {\"train.k\": [1]}, \"seeds\": [1, 2, 3, 4], \"metrics\": [\"modes\"]}");
        SweepSpec spec = SweepSpec.read(file);
        List<Trial> trials = spec.trials();
        String[] status = {"ok", "finished-before", "failed", "pending"};
        List<SweepReport.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path run = tmp.resolve("run" + i);
            Files.createDirectories(run);
            Files.writeString(run.resolve("metrics.jsonl"), "{\"metric\":\"modes-ring8\",\"value\":" + (4 + 2 * i) + ",\"epoch\":1}\n");
            TrialResult r = new TrialResult(trials.get(i).name(), status[i], 1, 1, 1.0, i == 2 ? "exit 1: boom" : "");
            rows.add(SweepReport.row(trials.get(i), r, run, spec.metrics()));
        }
        String md = SweepReport.markdown(spec, "gantry sweep s.json", "local[1]", spec.metrics(), rows);
        // 4 and 6 (the failed and pending trials' files are not read): mean 5, s.e. 1
        assertThat(md).contains("2 of 4 trials finished, 1 failed (below), 1 not run yet")
                .contains("| 1 | 5.00 ± 1.00 | 2 of 4 |")
                .contains("`k-1_seed-3` after 1 attempt(s): exit 1: boom");
        String tsv = SweepReport.tsv(spec, spec.metrics(), rows);
        assertThat(tsv.split("\n")).hasSize(5);
        assertThat(tsv.split("\n")[0]).isEqualTo("trial\ttrain.k\tseed\tstatus\tattempts\tseconds\tepoch\tmodes\terror");
        assertThat(tsv.split("\n")[3]).startsWith("k-1_seed-3\t1\t3\tfailed\t1\t1.0\t\t\texit 1: boom");
    }

    @Test
    void meanAndStandardErrorMatchTheFormula() {
        // 6, 7, 8: mean 7, sample sd 1, s.e. 1/sqrt(3) = 0.577; the s.e. with the mean's decimals
        assertThat(SweepReport.meanSe(List.of(6.0, 7.0, 8.0), 3)).isEqualTo("7.00 ± 0.58");
        assertThat(SweepReport.meanSe(List.of(0.25), 1)).isEqualTo("0.2500");
        assertThat(SweepReport.meanSe(List.of(1.5, 2.5), 3)).isEqualTo("2.00 ± 0.50 (2 of 3)");
        assertThat(SweepReport.meanSe(List.of(), 2)).isEqualTo("–");
        double se = Math.sqrt(((1.5 - 2) * (1.5 - 2) + (2.5 - 2) * (2.5 - 2)) / 1) / Math.sqrt(2);
        assertThat(se).isCloseTo(0.5, within(1e-12));
    }
}
