// Plots the full-protocol validation Parzen records (metric parzen10k-valid) of several runs against
// their epochs, with the paper's 225 as a reference line. Java's single-file launch, from the repo root:
//   java -Djava.awt.headless=true -cp "target/gantry.jar:target/lib/*" scripts/PlotValidCurves.java OUT.png "label=records.jsonl" ...
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.report.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

public class PlotValidCurves {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PlotValidCurves OUT.png label=records.jsonl ...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        List<Plots.Series> series = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            int eq = args[a].indexOf('=');
            TreeMap<Integer, double[]> byEpoch = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of(args[a].substring(eq + 1)))) {
                if (line.isBlank()) continue;
                JsonNode o = json.readTree(line);
                if ("parzen10k-valid".equals(o.path("metric").asText()) && o.has("epoch")) {
                    byEpoch.put(o.get("epoch").asInt(), new double[] {o.get("value").asDouble(), o.path("se").asDouble()});
                }
            }
            double[] x = new double[byEpoch.size()], y = new double[x.length], se = new double[x.length];
            int i = 0;
            for (var e : byEpoch.entrySet()) {
                x[i] = e.getKey();
                y[i] = e.getValue()[0];
                se[i++] = e.getValue()[1];
            }
            series.add(new Plots.Series(args[a].substring(0, eq), x, y, se));
        }
        Plots.linePlot(Path.of(args[0]), "paper-mnist: Parzen on validation (10,000 samples, sigma chosen on validation)",
                "epoch", "log-likelihood (nats)", series, List.of(new Plots.RefLine("paper, test: 225", 225)));
    }
}
