package dev.gantry.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    /** A run directory as a trainer leaves it after 20 logged steps and a few evaluations. */
    private static Path syntheticRun(Path parent) throws Exception {
        Path run = parent.resolve("00003-mnist-mlp");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"),
                "{\"preset\":\"mnist-mlp\",\"lr\":0.1,\"note\":\"<b>&</b>\"}");
        Files.writeString(run.resolve("provenance.json"),
                "{\"gantry\":\"0.1.0\",\"seed\":42,\"os\":\"Linux\"}");

        List<String> stats = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double lossD = i == 19 ? 0.6931 : 1.4 - 0.03 * i;
            double dReal = i == 19 ? 0.5123 : 0.9 - 0.01 * i;
            String gradNorms = i % 5 == 4 ? "" // some records lack optional fields
                    : String.format(Locale.ROOT, ",\"grad_norm_g\":%.3f,\"grad_norm_d\":%.3f",
                            1.0 + i, 0.5 + i);
            stats.add(String.format(Locale.ROOT,
                    "{\"step\":%d,\"epoch\":%d,\"loss_d\":%s,\"loss_g\":%s,\"d_real\":%s,"
                            + "\"d_fake\":%s%s,\"lr\":0.1,\"momentum\":0.5,\"samples_per_s\":1234.5}",
                    i * 100, i / 4, lossD, 0.7 + 0.02 * i, dReal, 0.1 + 0.015 * i, gradNorms));
            if (i == 10) {
                stats.add(""); // blank lines are allowed
            }
        }
        Files.writeString(run.resolve("stats.jsonl"), String.join("\n", stats) + "\n");

        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"metric\":\"parzen10k-test\",\"value\":180.0,\"se\":2.5,\"sigma\":0.2,\"step\":400,\"epoch\":1,\"checkpoint\":\"ckpt-0001\"}",
                "{\"metric\":\"parzen10k-valid\",\"value\":190.0,\"sigma\":0.2,\"step\":400,\"epoch\":1,\"checkpoint\":\"ckpt-0001\"}",
                "{\"metric\":\"fid-lenet10k\",\"value\":40.0,\"step\":400,\"epoch\":1,\"checkpoint\":\"ckpt-0001\"}",
                "{\"metric\":\"parzen10k-test\",\"value\":210.5,\"se\":2.1,\"sigma\":0.2,\"step\":1200,\"epoch\":3,\"checkpoint\":\"ckpt-0003\"}",
                "{\"metric\":\"fid-lenet10k\",\"value\":25.0,\"step\":800,\"epoch\":2,\"checkpoint\":\"ckpt-0002\"}",
                "{\"metric\":\"parzen10k-test\",\"value\":205.0,\"se\":2.2,\"sigma\":0.2,\"step\":1900,\"epoch\":4,\"checkpoint\":\"ckpt-0004\"}",
                "{\"metric\":\"fid-lenet10k\",\"value\":30.0,\"step\":1900,\"epoch\":4,\"checkpoint\":\"ckpt-0004\"}",
                "{\"metric\":\"odd <name> & co\",\"value\":1.0,\"epoch\":4}") + "\n");

        // Written newest first: the report must order grids by name, not by creation.
        float[] two = {0f, 1f, 1f, 0f, 0.5f, 0.5f, 0.5f, 0.5f};
        ImageGrid.writePng(run.resolve("samples/epoch-0002.png"), two, 2, 2, 2, 2, 1);
        ImageGrid.writePng(run.resolve("samples/epoch-0001.png"), two, 2, 2, 2, 1, 1);
        return run;
    }

    private static List<Path> tempFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void reportOfASyntheticRunLinksPlotsAndSamplesAndSummarisesTheLastStep(@TempDir Path tmp)
            throws Exception {
        Path run = syntheticRun(tmp);

        Path html = RunReport.write(run);

        assertThat(html).isEqualTo(run.resolve("report.html"));
        String page = Files.readString(html);
        assertThat(page).contains("<title>00003-mnist-mlp</title>");

        List<String> plots = List.of("losses.png", "discriminator.png", "gradnorms.png",
                "metric-parzen10k-test.png", "metric-parzen10k-valid.png",
                "metric-fid-lenet10k.png", "metric-odd__name____co.png");
        for (String plot : plots) {
            assertThat(page).contains("src=\"report/" + plot + "\"");
            BufferedImage img = ImageIO.read(run.resolve("report").resolve(plot).toFile());
            assertThat(img).as(plot).isNotNull();
            assertThat(img.getWidth()).isEqualTo(800);
        }

        // Summary: values of the last stats record, formatted as written.
        assertThat(page).contains("<tr><th>last step</th><td class=\"num\">1900</td></tr>")
                .contains("<tr><th>epoch</th><td class=\"num\">4</td></tr>")
                .contains("<tr><th>loss_d</th><td class=\"num\">0.6931</td></tr>")
                .contains("<tr><th>loss_g</th><td class=\"num\">1.08</td></tr>")
                .contains("<tr><th>D(x)</th><td class=\"num\">0.5123</td></tr>")
                .contains("<tr><th>D(G(z))</th><td class=\"num\">0.385</td></tr>")
                .contains("<tr><th>stats records</th><td class=\"num\">20</td></tr>");

        // Best Parzen estimate is the highest, with its se and epoch; best FID is the lowest.
        assertThat(page).contains("<tr><td>parzen10k-test</td><td>higher</td><td class=\"num\">210.5</td>"
                + "<td class=\"num\">2.1</td><td class=\"num\">3</td><td class=\"num\">1200</td>"
                + "<td class=\"num\">0.2</td><td>ckpt-0003</td><td class=\"num\">205</td>"
                + "<td class=\"num\">3</td></tr>");
        assertThat(page).contains("<tr><td>fid-lenet10k</td><td>lower</td><td class=\"num\">25</td>"
                + "<td class=\"num\">–</td><td class=\"num\">2</td>");

        // Latest grid large, earlier ones in the strip, in name order.
        assertThat(page).contains("class=\"latest\" src=\"samples/epoch-0002.png\"");
        assertThat(page).contains("<img src=\"samples/epoch-0001.png\"");
        assertThat(page.indexOf("samples/epoch-0002.png"))
                .isLessThan(page.indexOf("samples/epoch-0001.png"));

        // Config and provenance shown pretty-printed and escaped.
        assertThat(page).contains("&quot;note&quot; : &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;")
                .contains("&quot;seed&quot; : 42")
                .doesNotContain("<b>&")
                .contains("odd &lt;name&gt; &amp; co")
                .doesNotContain("odd <name>");

        assertThat(tempFiles(run)).isEmpty();
    }

    @Test
    void writingTwiceReplacesTheReport(@TempDir Path tmp) throws Exception {
        Path run = syntheticRun(tmp);
        String first = Files.readString(RunReport.write(run));
        String second = Files.readString(RunReport.write(run));
        assertThat(second).isEqualTo(first);
        assertThat(tempFiles(run)).isEmpty();
    }

    @Test
    void runWithOnlyAConfigGetsAReportWithoutPlots(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("00001-fresh");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");

        String page = Files.readString(RunReport.write(run));

        assertThat(page).contains("No training statistics yet").contains("No provenance.json")
                .doesNotContain("<img");
        assertThat(run.resolve("report")).doesNotExist();
    }

    @Test
    void statsWithoutGradNormsOmitsThatPlot(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");
        Files.writeString(run.resolve("stats.jsonl"),
                "{\"step\":1,\"loss_d\":1.2,\"loss_g\":0.8}\n{\"step\":2,\"loss_d\":NaN,\"loss_g\":\"Infinity\"}\n");

        String page = Files.readString(RunReport.write(run));

        assertThat(page).contains("report/losses.png").doesNotContain("gradnorms.png")
                .doesNotContain("discriminator.png");
        // A diverged last record shows as such rather than as the last finite value.
        assertThat(page).contains("<tr><th>loss_d</th><td class=\"num\">–</td></tr>")
                .contains("<tr><th>loss_g</th><td class=\"num\">Infinity</td></tr>");
        assertThat(run.resolve("report/gradnorms.png")).doesNotExist();
    }

    @Test
    void aResumeFromAnEarlierCheckpointSupersedesTheAbandonedAttemptsRecords(@TempDir Path tmp) throws Exception {
        // Steps 50..150 were written, the attempt diverged at 150 and the run was resumed from the
        // checkpoint at step 100: the new records from 150 on replace the abandoned 150.
        List<Map<String, Object>> records = List.of(
                Map.of("step", 50, "loss_d", 0.7), Map.of("step", 100, "loss_d", 0.6),
                Map.of("step", 150, "loss_d", Double.NaN), Map.of("note", "no step"),
                Map.of("step", 150, "loss_d", 0.5), Map.of("step", 200, "loss_d", 0.4));
        List<Map<String, Object>> kept = RunReport.latestTrajectory(records);
        assertThat(kept).extracting(r -> r.get("loss_d")).containsExactly(0.7, 0.6, null, 0.5, 0.4);
        // A record for an earlier step than several kept ones drops them all.
        assertThat(RunReport.latestTrajectory(List.of(Map.of("step", 1), Map.of("step", 2), Map.of("step", 3),
                Map.of("step", 2)))).extracting(r -> r.get("step")).containsExactly(1, 2);

        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");
        Files.writeString(run.resolve("stats.jsonl"), "{\"step\":50,\"loss_d\":0.7,\"loss_g\":0.8}\n"
                + "{\"step\":100,\"loss_d\":NaN,\"loss_g\":NaN}\n{\"step\":100,\"loss_d\":0.6,\"loss_g\":0.9}\n");
        String page = Files.readString(RunReport.write(run));
        assertThat(page).contains("<tr><th>stats records</th><td class=\"num\">2</td></tr>")
                .contains("abandoned attempts").contains("<tr><th>loss_d</th><td class=\"num\">0.6");
    }

    @Test
    void malformedStatsLineNamesFileAndLine(@TempDir Path tmp) throws Exception {
        Path run = syntheticRun(tmp);
        Files.writeString(run.resolve("stats.jsonl"),
                "{\"step\":1,\"loss_d\":1.0}\n\n{\"step\":2,\"loss_d\":\n{\"step\":3}\n");

        assertThatThrownBy(() -> RunReport.write(run))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("stats.jsonl")
                .hasMessageContaining("line 3");
        assertThat(run.resolve("report.html")).doesNotExist();
    }

    @Test
    void directoryWithoutConfigIsNotARunDirectory(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        assertThatThrownBy(() -> RunReport.write(empty))
                .isInstanceOf(BadInputException.class)
                .hasMessage(empty + " is not a Gantry run directory: no config.json");
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> RunReport.write(missing))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not a Gantry run directory: no config.json");
    }

    @Test
    void malformedConfigNamesTheFile(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("config.json"), "{\"lr\": ");
        assertThatThrownBy(() -> RunReport.write(run))
                .isInstanceOf(BadInputException.class).hasMessageContaining("config.json");
        Files.writeString(run.resolve("config.json"), "[1, 2]");
        assertThatThrownBy(() -> RunReport.write(run))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("config.json").hasMessageContaining("JSON object");
    }

    @Test
    void readJsonlToleratesBlankLinesNonFiniteNumbersAndAnUnfinishedLastLine(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("log.jsonl");
        Files.writeString(file, "\n{\"a\":1,\"b\":\"x\"}\r\n  \n{\"a\":NaN,\"c\":\"-Infinity\"}\n{\"a\":3,\"b");

        List<Map<String, Object>> records = RunReport.readJsonl(file);

        assertThat(records).hasSize(2);
        assertThat(records.get(0)).containsEntry("a", 1).containsEntry("b", "x");
        assertThat(RunReport.number(records.get(1), "a")).isNaN();
        assertThat(RunReport.number(records.get(1), "c")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(RunReport.number(records.get(0), "b")).isNaN();
        assertThat(RunReport.number(records.get(0), "missing")).isNaN();
    }

    @Test
    void readJsonlRejectsNonObjectsTrailingGarbageAndMissingFiles(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("m.jsonl");
        Files.writeString(file, "{\"a\":1}\n[1,2]\n");
        assertThatThrownBy(() -> RunReport.readJsonl(file))
                .isInstanceOf(BadInputException.class).hasMessageContaining("m.jsonl, line 2");
        Files.writeString(file, "{\"a\":1} {\"a\":2}\n");
        assertThatThrownBy(() -> RunReport.readJsonl(file))
                .isInstanceOf(BadInputException.class).hasMessageContaining("m.jsonl, line 1");
        assertThatThrownBy(() -> RunReport.readJsonl(tmp.resolve("none.jsonl")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("none.jsonl");
    }

    @Test
    void parzenReferenceLineOnlyForTestSetMetrics() {
        assertThat(RunReport.isParzenTest("parzen10k-test")).isTrue();
        assertThat(RunReport.isParzenTest("parzen10k-valid")).isFalse();
        assertThat(RunReport.isParzenTest("fid-test")).isFalse();
        assertThat(RunReport.lowerIsBetter("fid-lenet10k")).isTrue();
        assertThat(RunReport.lowerIsBetter("parzen10k-test")).isFalse();
    }

    @Test
    void formattingEscapingAndLinks() {
        assertThat(RunReport.fmt(1900)).isEqualTo("1900");
        assertThat(RunReport.fmt(0.693147)).isEqualTo("0.6931");
        assertThat(RunReport.fmt(-225.04)).isEqualTo("-225");
        assertThat(RunReport.fmt(1.5e-7)).isEqualTo("1.500e-07");
        assertThat(RunReport.fmt(Double.NaN)).isEqualTo("–");
        assertThat(RunReport.esc("<a href='x'>&\"</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assertThat(RunReport.href("samples/epoch 1#b.png")).isEqualTo("samples/epoch%201%23b.png");
        assertThat(RunReport.href("samples/é.png")).isEqualTo("samples/%C3%A9.png");
    }
}
