package dev.gantry.cli;

import dev.gantry.report.RunReport;
import dev.gantry.run.RunDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry report}: (re)writes a run's HTML report and plots. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html with loss, D(x)/D(G(z)), gradient-norm and metric plots and sample grids.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    @Override
    public Integer call() {
        RunDirectory.open(runDir);
        Path report = RunReport.write(runDir);
        System.out.println("wrote " + report);
        return Main.OK;
    }
}
