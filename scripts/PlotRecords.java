// Plots one field of the records of one metric (metrics.jsonl lines) against their epochs, one
// series per file, with optional reference lines. Java's single-file launch, from the repo root:
//   java -Djava.awt.headless=true -cp "target/gantry.jar:target/lib/*" scripts/PlotRecords.java \
//     OUT.png "title" "y label" METRIC FIELD[*SCALE] "ref label=VALUE"... -- "label=records.jsonl[#FIELD[*SCALE]]" ...
// (a series' own #FIELD overrides FIELD), e.g.
//   ... probe-d d_classifier_test_error*100 "Salimans et al.=0.93" -- "last=m.jsonl" "averaged=m.jsonl#d_classifier_averaged_test_error*100"
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.report.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

public class PlotRecords {
    public static void main(String[] args) throws Exception {
        int sep = List.of(args).indexOf("--");
        if (args.length < 7 || sep < 5) {
            System.err.println("usage: PlotRecords OUT.png TITLE YLABEL METRIC FIELD[*SCALE] [REF=VALUE ...] -- LABEL=records.jsonl ...");
            System.exit(2);
        }
        String metric = args[3];
        String field = args[4];
        double scale = 1;
        if (field.contains("*")) {
            scale = Double.parseDouble(field.substring(field.indexOf('*') + 1));
            field = field.substring(0, field.indexOf('*'));
        }
        List<Plots.RefLine> refs = new ArrayList<>();
        for (int a = 5; a < sep; a++) {
            int eq = args[a].lastIndexOf('=');
            refs.add(new Plots.RefLine(args[a].substring(0, eq), Double.parseDouble(args[a].substring(eq + 1))));
        }
        ObjectMapper json = new ObjectMapper();
        List<Plots.Series> series = new ArrayList<>();
        for (int a = sep + 1; a < args.length; a++) {
            int eq = args[a].indexOf('=');
            String file = args[a].substring(eq + 1);
            String f = field;
            double sc = scale;
            if (file.contains("#")) {
                f = file.substring(file.indexOf('#') + 1);
                file = file.substring(0, file.indexOf('#'));
                sc = 1;
                if (f.contains("*")) {
                    sc = Double.parseDouble(f.substring(f.indexOf('*') + 1));
                    f = f.substring(0, f.indexOf('*'));
                }
            }
            TreeMap<Integer, Double> byEpoch = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.isBlank()) continue;
                JsonNode o = json.readTree(line);
                if (metric.equals(o.path("metric").asText()) && o.has("epoch") && o.has(f)) {
                    byEpoch.put(o.get("epoch").asInt(), o.get(f).asDouble() * sc);   // the last record of an epoch
                }
            }
            double[] x = new double[byEpoch.size()], y = new double[x.length];
            int i = 0;
            for (var e : byEpoch.entrySet()) {
                x[i] = e.getKey();
                y[i++] = e.getValue();
            }
            series.add(new Plots.Series(args[a].substring(0, eq), x, y, null));
        }
        Plots.linePlot(Path.of(args[0]), args[1], "epoch", args[2], series, refs);
    }
}
