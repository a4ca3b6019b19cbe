package dev.gantry.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gathers what each trial's monitor recorded (its run directory's {@code metrics.jsonl}) into
 * {@code sweep.tsv}, one row per trial, and {@code report.md}, mean ± standard error per cell.
 *
 * <p>A metric column is {@code NAME} or {@code NAME.FIELD}: the last record whose {@code metric}
 * is NAME or starts with {@code NAME-} ({@code modes} finds {@code modes-ring8}, {@code parzen}
 * finds {@code parzen-valid}), and its FIELD ({@code value} by default). The last record is the
 * one measured after the trial's last epoch; its epoch is a column too, so a trial whose monitor
 * did not run at the end shows it.
 */
public final class SweepReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row: the trial, what became of it and its metrics (absent when not recorded). */
    public record Row(Trial trial, TrialResult result, Integer epoch, Map<String, Double> metrics) {}

    private SweepReport() {}

    /** The columns: the sweep's {@code metrics}, or every metric name the trials recorded. */
    static List<String> columns(SweepSpec spec, List<Path> runDirs) {
        if (!spec.metrics().isEmpty()) {
            return spec.metrics();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Path dir : runDirs) {
            for (JsonNode r : records(dir)) {
                names.add(r.path("metric").asText());
            }
        }
        names.remove("");
        return new ArrayList<>(names);
    }

    /** The records of a run's metrics.jsonl, in order; none when the file is absent. */
    static List<JsonNode> records(Path runDir) {
        Path file = runDir.resolve("metrics.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** A trial's row: the last value of every column, and the epoch of the last record read. */
    static Row row(Trial trial, TrialResult result, Path runDir, List<String> columns) {
        Map<String, Double> values = new LinkedHashMap<>();
        Integer epoch = null;
        if (result.ok()) {
            List<JsonNode> records = records(runDir);
            for (String col : columns) {
                int dot = col.indexOf('.');
                String name = dot < 0 ? col : col.substring(0, dot);
                String field = dot < 0 ? "value" : col.substring(dot + 1);
                for (int i = records.size() - 1; i >= 0; i--) {
                    JsonNode r = records.get(i);
                    String metric = r.path("metric").asText();
                    if (metric.equals(name) || metric.startsWith(name + "-")) {
                        JsonNode v = r.get(field);
                        if (v != null && v.isNumber()) {
                            values.put(col, v.asDouble());
                        }
                        int e = r.path("epoch").asInt(-1);
                        if (e >= 0 && (epoch == null || e > epoch)) {
                            epoch = e;
                        }
                        break;
                    }
                }
            }
        }
        return new Row(trial, result, epoch, values);
    }

    /** {@code sweep.tsv}: one row per trial. */
    static String tsv(SweepSpec spec, List<String> columns, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>(List.of("trial"));
        spec.grid().forEach(a -> head.add(a.name()));
        head.addAll(List.of("seed", "status", "attempts", "seconds", "epoch"));
        head.addAll(columns);
        head.add("error");
        b.append(String.join("\t", head)).append('\n');
        for (Row r : rows) {
            List<String> f = new ArrayList<>(List.of(r.trial().name()));
            spec.grid().forEach(a -> f.add(r.trial().labels().get(a.name())));
            f.add(Long.toString(r.trial().seed()));
            f.add(r.result().status());
            f.add(Integer.toString(r.result().totalAttempts()));
            f.add(r.result().seconds() > 0 ? String.format(Locale.ROOT, "%.1f", r.result().seconds()) : "");
            f.add(r.epoch() == null ? "" : Integer.toString(r.epoch()));
            for (String c : columns) {
                Double v = r.metrics().get(c);
                f.add(v == null ? "" : number(v));
            }
            f.add(r.result().error().replace('\t', ' '));
            b.append(String.join("\t", f)).append('\n');
        }
        return b.toString();
    }

    /** {@code report.md}: mean ± s.e. per cell, the failures, then every trial. */
    static String markdown(SweepSpec spec, String command, String master, List<String> columns, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# Sweep ").append(spec.file().getFileName()).append("\n\n");
        b.append("Command: `").append(command).append("`  \nMaster: `").append(master).append("`  \n");
        b.append("Base: ").append(spec.preset() != null ? "preset `" + spec.preset() + "`" : "config `" + spec.config() + "`");
        b.append(", ").append(spec.threadsPerTrial()).append(" PyTorch thread(s) per trial, seeds ").append(spec.seeds()).append(".\n\n");
        long ok = rows.stream().filter(r -> r.result().ok()).count();
        b.append(ok).append(" of ").append(rows.size()).append(" trials finished");
        long failed = rows.stream().filter(r -> r.result().status().equals("failed")).count();
        long pending = rows.stream().filter(r -> r.result().status().equals("pending")).count();
        if (failed > 0) {
            b.append(", ").append(failed).append(" failed (below)");
        }
        if (pending > 0) {
            b.append(", ").append(pending).append(" not run yet (the sweep is running, or was stopped)");
        }
        b.append(". Each cell: mean ± standard error over its finished seeds (n).\n\n");

        List<String> head = new ArrayList<>();
        spec.grid().forEach(a -> head.add(a.name()));
        head.addAll(columns);
        head.add("n");
        b.append("| ").append(String.join(" | ", head)).append(" |\n|");
        head.forEach(h -> b.append("---|"));
        b.append('\n');
        Map<String, List<Row>> cells = new LinkedHashMap<>();
        rows.forEach(r -> cells.computeIfAbsent(r.trial().cell(), k -> new ArrayList<>()).add(r));
        for (List<Row> cell : cells.values()) {
            List<String> f = new ArrayList<>();
            spec.grid().forEach(a -> f.add(cell.get(0).trial().labels().get(a.name())));
            List<Row> done = cell.stream().filter(r -> r.result().ok()).toList();
            for (String c : columns) {
                List<Double> vs = done.stream().map(r -> r.metrics().get(c)).filter(v -> v != null && Double.isFinite(v)).toList();
                f.add(meanSe(vs, done.size()));
            }
            f.add(done.size() + (done.size() < cell.size() ? " of " + cell.size() : ""));
            b.append("| ").append(String.join(" | ", f)).append(" |\n");
        }

        List<Row> failedRows = rows.stream().filter(r -> r.result().status().equals("failed")).toList();
        if (!failedRows.isEmpty()) {
            b.append("\n## Failed trials\n\n");
            for (Row r : failedRows) {
                b.append("- `").append(r.trial().name()).append("` after ").append(r.result().totalAttempts())
                        .append(" attempt(s): ").append(r.result().error()).append('\n');
            }
        }
        b.append("\n## Every trial\n\n");
        String[] lines = tsv(spec, columns, rows).split("\n");
        for (int i = 0; i < lines.length; i++) {
            b.append("| ").append(lines[i].replace("|", "\\|").replace("\t", " | ")).append(" |\n");
            if (i == 0) {
                b.append("|").append("---|".repeat(lines[0].split("\t", -1).length)).append('\n');
            }
        }
        return b.toString();
    }

    /** "m ± se", "m" for one value, "–" for none; "(k of n)" when some trials lack the value. */
    static String meanSe(List<Double> vs, int trials) {
        if (vs.isEmpty()) {
            return "–";
        }
        double mean = vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String s;
        if (vs.size() == 1) {
            s = number(mean);
        } else {
            double ss = vs.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double se = Math.sqrt(ss / (vs.size() - 1)) / Math.sqrt(vs.size());
            // The standard error with the mean's decimals; whole numbers stay whole when all agree.
            String f = se == 0 && mean == Math.rint(mean) ? "%.0f" : decimals(mean);
            s = String.format(Locale.ROOT, f + " ± " + f, mean, se);
        }
        return vs.size() < trials ? s + " (" + vs.size() + " of " + trials + ")" : s;
    }

    private static String decimals(double v) {
        double a = Math.abs(v);
        return a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f";
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.001 ? "%.4f" : "%.3g", v);
    }

    /** Writes a file through a temporary one, so a reader never sees half of it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
