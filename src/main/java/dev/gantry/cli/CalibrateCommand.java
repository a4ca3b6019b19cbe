package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.eval.Calibration;
import dev.gantry.eval.Evaluation;
import dev.gantry.eval.Metric;
import dev.gantry.eval.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry eval calibrate}: every metric on the calibration rows (real against real, and
 * four known failures), as the reference printed beside every score.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Every metric that applies to a dataset on its calibration rows: real train[0:10000],",
                "uniform noise, the test images blurred (sigma 1 px), only classes 0-4, 10,000 copies of one image.",
                "Prints a Markdown table; --out writes every result as JSON lines."})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "NAME", defaultValue = "mnist", description = "dataset (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the dataset's files (default: the cache)")
    Path dataDir;

    @Option(names = "--classifier", paramLabel = "FILE", description = "a feature network to use instead of the shipped one")
    Path classifier;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "write every result here (never overwritten)")
    Path out;

    @Option(names = "--grids", paramLabel = "DIR", description = "also draw the first 100 images of each row as DIR/ROW.png")
    Path grids;

    @Override
    public Integer call() throws Exception {
        if (out != null && Files.exists(out)) {
            throw new BadInputException("--out " + out + " already exists; Gantry never overwrites an existing file");
        }
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        try (Evaluation ev = Evaluation.of(data, dataDir, "test", classifier, System.err)) {
            List<Metric> metrics = Metrics.names().stream().map(Metrics::named).filter(m -> m.unsuitable(ev) == null)
                    .filter(m -> m.samples() <= 10_000).toList();
            ImageSet train = ev.dataset().load(Split.TRAIN, ev.request());
            ImageSet test = ev.dataset().load(Split.TEST, ev.request());
            Map<String, float[]> sets = Calibration.sets(train, test, 10_000, 0);
            if (grids != null) {
                Files.createDirectories(grids);
                for (var e : sets.entrySet()) {
                    float[] first = java.util.Arrays.copyOf(e.getValue(), 100 * ev.dataset().shape().dim());
                    dev.gantry.report.ImageGrid.writePng(grids.resolve(e.getKey() + ".png"), first, 100, ev.dataset().shape(), 10, 2);
                }
            }
            table.append("| row |");
            for (Metric m : metrics) {
                table.append(' ').append(m.name()).append(" |");
                names.add(m.name());
            }
            table.append("\n|---|").append("---|".repeat(metrics.size())).append('\n');
            for (var e : sets.entrySet()) {
                table.append("| ").append(e.getKey()).append(" |");
                for (Metric m : metrics) {
                    long start = System.nanoTime();
                    Map<String, Object> r = m.compute(e.getValue(), 10_000, ev);
                    ObjectNode o = ConfigLoader.mapper().valueToTree(r);
                    o.put("row", e.getKey());
                    o.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
                    lines.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
                    table.append(' ').append(cell(o)).append(" |");
                    System.err.printf("calibration %s %s: %.4f (%.1f s)%n", e.getKey(), m.name(), o.path("value").asDouble(), o.path("seconds").asDouble());
                }
                table.append('\n');
            }
        }
        System.out.print(table);
        if (out != null) {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            dev.gantry.util.AtomicFile.writeString(out, String.join("\n", lines) + "\n");
        }
        return Main.OK;
    }

    static String cell(ObjectNode o) {
        String m = o.path("metric").asText();
        double v = o.path("value").asDouble();
        if (m.startsWith("pr-")) {
            return String.format(java.util.Locale.ROOT, "%.3f / %.3f", o.path("precision").asDouble(), o.path("recall").asDouble());
        }
        if (m.startsWith("dc-")) {
            return String.format(java.util.Locale.ROOT, "%.3f / %.3f", o.path("density").asDouble(), o.path("coverage").asDouble());
        }
        if (m.startsWith("classes")) {
            return String.format(java.util.Locale.ROOT, "%d (KL %.2f, %.0f %%)", (int) v, o.path("kl_uniform").asDouble(), 100 * o.path("confident").asDouble());
        }
        if (m.startsWith("kid")) {
            return String.format(java.util.Locale.ROOT, "%.4f ± %.4f", v, o.path("sd").asDouble());
        }
        if (m.startsWith("cscore")) {
            return String.format(java.util.Locale.ROOT, "%.2f ± %.2f", v, o.path("sd").asDouble());
        }
        if (m.startsWith("parzen")) {
            return String.format(java.util.Locale.ROOT, "%.1f ± %.1f", v, o.path("se").asDouble());
        }
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
