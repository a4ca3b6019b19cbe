package dev.gantry.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.BadInputException;
import dev.gantry.report.Plots.Options;
import dev.gantry.report.Plots.RefLine;
import dev.gantry.report.Plots.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a run directory into {@code report.html} plus the plots in {@code report/}, a page that
 * opens in any browser without a server.
 *
 * <p>The run directory layout is the one in {@code docs/design.md}: {@code config.json},
 * {@code provenance.json}, {@code stats.jsonl}, {@code metrics.jsonl} and {@code samples/*.png}.
 * Only {@code config.json} is required, so a report can be made at any moment of a run, including
 * while the trainer is still appending to the logs. Parzen-window metrics on the test set are
 * drawn next to the GAN paper's MNIST result of 225 nats (Goodfellow et al., 2014, Table 1).
 */
public final class RunReport {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The GAN paper's Parzen-window log-likelihood on the MNIST test set, in nats. */
    public static final double PAPER_GAN_PARZEN_MNIST = 225;

    // Writers of stats.jsonl in Python emit bare NaN/Infinity for a diverged loss; that is data,
    // not a malformed line.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT =
            new TypeReference<>() {};

    private RunReport() {}

    /**
     * Writes {@code runDir/report.html} and the plots under {@code runDir/report/}.
     *
     * @return the path of {@code report.html}
     * @throws BadInputException if {@code runDir} has no {@code config.json}, or a file in it is
     *     malformed (the message names the file, and for JSONL files the line)
     */
    public static Path write(Path runDir) {
        Path config = runDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new BadInputException(runDir + " is not a Gantry run directory: no config.json");
        }
        JsonNode configJson = readObject(config);
        Path provenance = runDir.resolve("provenance.json");
        JsonNode provenanceJson = Files.isRegularFile(provenance) ? readObject(provenance) : null;
        Path statsFile = runDir.resolve("stats.jsonl");
        List<Map<String, Object>> written =
                Files.isRegularFile(statsFile) ? readJsonl(statsFile) : List.of();
        List<Map<String, Object>> stats = latestTrajectory(written);
        Path metricsFile = runDir.resolve("metrics.jsonl");
        List<Map<String, Object>> metrics =
                Files.isRegularFile(metricsFile) ? readJsonl(metricsFile) : List.of();
        List<String> samples = sampleGrids(runDir.resolve("samples"));

        Path reportDir = runDir.resolve("report");
        List<String> statPlots = plotStats(reportDir, stats);
        List<MetricSummary> metricSummaries = plotMetrics(reportDir, metrics);

        String name = runDir.toAbsolutePath().normalize().getFileName().toString();
        String html = html(name, stats, written.size() - stats.size(), metricSummaries, statPlots, samples,
                configJson, provenanceJson);
        Path out = runDir.resolve("report.html");
        AtomicFiles.writeString(out, html);
        return out;
    }

    /**
     * The records of the trajectory the run's checkpoints continue. A run resumed from an older
     * checkpoint than its last record (after a divergence, say) appends records for steps it
     * already has; each such record supersedes the earlier ones from its step on, which stay in
     * the file but belong to an abandoned attempt. Records without a step are kept.
     */
    public static List<Map<String, Object>> latestTrajectory(List<Map<String, Object>> records) {
        List<Map<String, Object>> kept = new ArrayList<>();
        long maxStep = Long.MIN_VALUE;
        for (Map<String, Object> r : records) {
            if (r.get("step") instanceof Number step) {
                long s = step.longValue();
                if (s <= maxStep) {   // rare: only where a resume went back
                    kept.removeIf(k -> k.get("step") instanceof Number prev && prev.longValue() >= s);
                }
                maxStep = s;
            }
            kept.add(r);
        }
        return kept;
    }

    /**
     * Reads a JSON Lines file: one JSON object per line, blank lines ignored, fields in file order.
     *
     * <p>A last line without its newline that does not parse is skipped: it is a record the
     * trainer is still appending, not corruption.
     *
     * @throws BadInputException naming the file and the 1-based line number of a line that is not
     *     a JSON object, or if the file does not exist
     */
    public static List<Map<String, Object>> readJsonl(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String[] lines = text.split("\n", -1);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                records.add(JSON.readValue(line, OBJECT));
            } catch (JsonProcessingException e) {
                boolean unterminatedLast = i == lines.length - 1;
                if (unterminatedLast) {
                    continue;
                }
                throw new BadInputException(file + ", line " + (i + 1) + ": not a JSON object: "
                        + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    /**
     * The numeric value of {@code field} in a JSONL record, or NaN when it is missing, null or
     * not a number; the strings "NaN", "Infinity" and "-Infinity" (how Jackson writes
     * non-finite doubles) count as numbers.
     */
    public static double number(Map<String, Object> record, String field) {
        Object v = record.get(field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static JsonNode readObject(Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (node == null || !node.isObject()) {
            throw new BadInputException(file + ": expected a JSON object");
        }
        return node;
    }

    /** The prefix of the grids drawn by G's averaged weights (train.g_average). */
    static final String AVERAGE_GRID = "average-";

    /** File names of {@code samples/*.png}, in name order, which is time order for epoch-NNNN. */
    private static List<String> sampleGrids(Path samplesDir) {
        if (!Files.isDirectory(samplesDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(samplesDir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".png") && !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + samplesDir, e);
        }
    }

    // ---- plots --------------------------------------------------------------------------------

    /** Writes the training-curve plots that have data and returns their file names. */
    private static List<String> plotStats(Path reportDir, List<Map<String, Object>> stats) {
        List<String> written = new ArrayList<>();
        if (stats.isEmpty()) {
            return written;
        }
        double[] step = column(stats, "step");
        plotIfAny(reportDir, "losses.png", written, "Losses", "step", "loss", List.of(
                new Series("loss_d", step, column(stats, "loss_d")),
                new Series("loss_g", step, column(stats, "loss_g"))), Options.DEFAULT);
        plotIfAny(reportDir, "discriminator.png", written, "Discriminator outputs", "step",
                "mean D output", List.of(
                        new Series("D(x)", step, column(stats, "d_real")),
                        new Series("D(G(z))", step, column(stats, "d_fake"))),
                Options.DEFAULT.withYRange(0, 1));
        plotIfAny(reportDir, "gradnorms.png", written, "Gradient norms", "step", "L2 norm",
                List.of(new Series("grad_norm_g", step, column(stats, "grad_norm_g")),
                        new Series("grad_norm_d", step, column(stats, "grad_norm_d"))),
                Options.DEFAULT.withLogY(true));
        return written;
    }

    private static void plotIfAny(Path reportDir, String file, List<String> written, String title,
            String xLabel, String yLabel, List<Series> series, Options options) {
        boolean any = series.stream()
                .anyMatch(s -> Plots.plottable(s, options.logY()).x().length > 0);
        if (any) {
            Plots.linePlot(reportDir.resolve(file), title, xLabel, yLabel, series, List.of(),
                    options);
            written.add(file);
        }
    }

    /** One metric's history reduced to what the summary table shows. */
    record MetricSummary(String name, String plot, int evaluations, Map<String, Object> best,
            Map<String, Object> latest) {}

    private static List<MetricSummary> plotMetrics(Path reportDir,
            List<Map<String, Object>> metrics) {
        Map<String, List<Map<String, Object>>> byName = new LinkedHashMap<>();
        for (Map<String, Object> m : metrics) {
            if (m.get("metric") instanceof String name) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
            }
        }
        List<MetricSummary> summaries = new ArrayList<>();
        Set<String> usedFiles = new HashSet<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : byName.entrySet()) {
            String name = e.getKey();
            List<Map<String, Object>> rows = e.getValue();

            boolean byEpoch = rows.stream().anyMatch(r -> Double.isFinite(number(r, "epoch")));
            String xField = byEpoch ? "epoch" : "step";
            List<Map<String, Object>> sorted = new ArrayList<>(rows);
            sorted.sort(Comparator.comparingDouble(r -> number(r, xField)));
            double[] x = column(sorted, xField);
            double[] y = column(sorted, "value");
            double[] se = column(sorted, "se");
            boolean hasSe = false;
            for (double v : se) {
                hasSe |= Double.isFinite(v);
            }
            List<RefLine> refs = isParzenTest(name)
                    ? List.of(new RefLine("paper GAN 225", PAPER_GAN_PARZEN_MNIST))
                    : List.of();
            String yLabel = name.startsWith("parzen") ? "log-likelihood (nats)" : name;

            String file = plotFileName(name, usedFiles);
            Plots.linePlot(reportDir.resolve(file), name, xField, yLabel,
                    List.of(new Series(name, x, y, hasSe ? se : null)), refs, Options.DEFAULT);
            summaries.add(new MetricSummary(name, file, rows.size(), best(name, rows),
                    rows.get(rows.size() - 1)));
        }
        return summaries;
    }

    static boolean isParzenTest(String metric) {
        return metric.startsWith("parzen") && metric.contains("test");
    }

    /**
     * Whether smaller values of a metric are better. Metric names encode their protocol
     * (style guide, point 10), so the family is read from the name: distances and losses go
     * down, likelihoods and scores go up.
     */
    static boolean lowerIsBetter(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.startsWith("fid") || m.startsWith("kid") || m.contains("loss")
                || m.contains("nll") || m.contains("error") || m.contains("bpd");
    }

    private static Map<String, Object> best(String name, List<Map<String, Object>> rows) {
        boolean lower = lowerIsBetter(name);
        Map<String, Object> best = null;
        for (Map<String, Object> r : rows) {
            double v = number(r, "value");
            if (!Double.isFinite(v)) {
                continue;
            }
            if (best == null) {
                best = r;
            } else {
                double b = number(best, "value");
                if (lower ? v < b : v > b) {
                    best = r;
                }
            }
        }
        return best;
    }

    private static String plotFileName(String metric, Set<String> used) {
        String base = "metric-" + metric.replaceAll("[^A-Za-z0-9._-]", "_");
        String file = base + ".png";
        for (int k = 2; !used.add(file); k++) {
            file = base + "-" + k + ".png";
        }
        return file;
    }

    private static double[] column(List<Map<String, Object>> records, String field) {
        double[] out = new double[records.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(records.get(i), field);
        }
        return out;
    }

    // ---- HTML ---------------------------------------------------------------------------------

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px;
                   padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            img.plot { max-width: 100%; }
            img.latest { width: min(100%, 720px); image-rendering: pixelated; }
            .strip { display: flex; gap: 0.6em; overflow-x: auto; padding-bottom: 0.5em; }
            .strip figure { margin: 0; text-align: center; font-size: 0.8em; }
            .strip img { height: 140px; image-rendering: pixelated; }
            pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }
            """;

    private static String html(String name, List<Map<String, Object>> stats, int abandoned,
            List<MetricSummary> metrics, List<String> statPlots, List<String> samples,
            JsonNode config, JsonNode provenance) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(esc(name)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(esc(name)).append("</h1>\n");

        h.append("<h2>Summary</h2>\n");
        if (stats.isEmpty()) {
            h.append("<p>No training statistics yet (no stats.jsonl).</p>\n");
        } else {
            h.append("<table>\n");
            row(h, "stats records", fmt(stats.size()));
            if (abandoned > 0) {
                row(h, "records of abandoned attempts (resumed from an earlier checkpoint; in stats.jsonl, not plotted)",
                        fmt(abandoned));
            }
            row(h, "last step", fmt(last(stats, "step")));
            row(h, "epoch", fmt(last(stats, "epoch")));
            row(h, "loss_d", fmt(last(stats, "loss_d")));
            row(h, "loss_g", fmt(last(stats, "loss_g")));
            row(h, "D(x)", fmt(last(stats, "d_real")));
            row(h, "D(G(z))", fmt(last(stats, "d_fake")));
            row(h, "samples/s", fmt(last(stats, "samples_per_s")));
            h.append("</table>\n");
        }
        if (!metrics.isEmpty()) {
            h.append("<table>\n<tr><th>metric</th><th>better</th><th>best</th><th>± se</th>")
                    .append("<th>epoch</th>")
                    .append("<th>step</th><th>sigma</th><th>checkpoint</th><th>latest</th>")
                    .append("<th>evaluations</th></tr>\n");
            for (MetricSummary m : metrics) {
                Map<String, Object> b = m.best() == null ? Map.of() : m.best();
                h.append("<tr><td>").append(esc(m.name())).append("</td><td>")
                        .append(lowerIsBetter(m.name()) ? "lower" : "higher").append("</td>");
                cell(h, fmt(number(b, "value")));
                cell(h, fmt(number(b, "se")));
                cell(h, fmt(number(b, "epoch")));
                cell(h, fmt(number(b, "step")));
                cell(h, fmt(number(b, "sigma")));
                h.append("<td>").append(esc(text(b.get("checkpoint")))).append("</td>");
                cell(h, fmt(number(m.latest(), "value")));
                cell(h, fmt(m.evaluations()));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }

        if (!statPlots.isEmpty() || !metrics.isEmpty()) {
            h.append("<h2>Curves</h2>\n");
            for (String plot : statPlots) {
                image(h, "report/" + plot, plot, "plot");
            }
            for (MetricSummary m : metrics) {
                image(h, "report/" + m.plot(), m.name(), "plot");
            }
        }

        // train.g_average: the grids of G's averaged weights, average-epoch-NNNN.png, go beside the latest one.
        List<String> averaged = samples.stream().filter(n -> n.startsWith(AVERAGE_GRID)).toList();
        samples = samples.stream().filter(n -> !n.startsWith(AVERAGE_GRID)).toList();
        if (!samples.isEmpty()) {
            h.append("<h2>Samples</h2>\n");
            String latest = samples.get(samples.size() - 1);
            h.append("<p>Latest: ").append(esc(latest)).append("</p>\n");
            h.append("<a href=\"").append(esc(href("samples/" + latest))).append("\">");
            image(h, "samples/" + latest, latest, "latest");
            h.append("</a>\n");
            if (averaged.contains(AVERAGE_GRID + latest)) {
                String avg = AVERAGE_GRID + latest;
                h.append("<p>The same noise through the moving average of G's weights (train.g_average): ").append(esc(avg)).append("</p>\n");
                h.append("<a href=\"").append(esc(href("samples/" + avg))).append("\">");
                image(h, "samples/" + avg, avg, "latest");
                h.append("</a>\n");
            }
            if (samples.size() > 1) {
                h.append("<div class=\"strip\">\n");
                for (String s : samples.subList(0, samples.size() - 1)) {
                    String src = esc(href("samples/" + s));
                    h.append("<figure><a href=\"").append(src).append("\"><img src=\"")
                            .append(src).append("\" alt=\"").append(esc(s))
                            .append("\" loading=\"lazy\"></a><figcaption>").append(esc(s))
                            .append("</figcaption></figure>\n");
                }
                h.append("</div>\n");
            }
        }

        h.append("<h2>Config</h2>\n<pre>").append(esc(pretty(config))).append("</pre>\n");
        h.append("<h2>Provenance</h2>\n");
        if (provenance == null) {
            h.append("<p>No provenance.json.</p>\n");
        } else {
            h.append("<pre>").append(esc(pretty(provenance))).append("</pre>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The field's value in the last record that has the field at all, so NaN stays visible. */
    private static double last(List<Map<String, Object>> records, String field) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).containsKey(field)) {
                return number(records.get(i), field);
            }
        }
        return Double.NaN;
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><th>").append(esc(label)).append("</th><td class=\"num\">")
                .append(esc(value)).append("</td></tr>\n");
    }

    private static void cell(StringBuilder h, String value) {
        h.append("<td class=\"num\">").append(esc(value)).append("</td>");
    }

    private static void image(StringBuilder h, String path, String alt, String cssClass) {
        h.append("<img class=\"").append(cssClass).append("\" src=\"").append(esc(href(path)))
                .append("\" alt=\"").append(esc(alt)).append("\">\n");
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree must serialise", e);
        }
    }

    /**
     * Formats a number for a table: integers without a decimal point, others to 4 significant
     * digits, very large or small ones in scientific notation; missing values as a dash.
     */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** Escapes text for HTML element content and double- or single-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Percent-encodes a relative path for a URL, keeping the slashes between segments. */
    static String href(String relativePath) {
        StringBuilder b = new StringBuilder();
        for (byte x : relativePath.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return b.toString();
    }
}
