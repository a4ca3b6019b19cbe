package dev.gantry.cli;

import dev.gantry.BadInputException;
import dev.gantry.run.Provenance;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code gantry} command line: train, resume, sample, evaluate, fetch data, benchmark.
 *
 * <p>Exit codes: 0 ok, 2 bad input (the message names the file or key and what was expected),
 * 1 internal error.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train, evaluate and understand generative adversarial networks.",
        subcommands = {TrainCommand.class, ResumeCommand.class, SampleCommand.class, EvalCommand.class,
                DataCommand.class, BenchCommand.class, ReportCommand.class, ConfigCommand.class, FiguresCommand.class, LabCommand.class,
                ClassifierCommand.class, EncodeCommand.class, ProbeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs a command line and returns its exit code (for tests and for {@link #main}). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        MetricCommand.register(cl.getSubcommands().get("eval"));
        cl.setExecutionExceptionHandler(exitCodes());
        return cl;
    }

    /**
     * The command line's contract for exceptions: a {@link BadInputException} anywhere in the
     * cause chain prints its message and exits 2; anything else is an internal error (1) with its
     * stack trace. Shared by every Gantry command line (the sweep module's too).
     */
    public static CommandLine.IExecutionExceptionHandler exitCodes() {
        return (ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            Throwable bad = ex;
            while (bad != null && !(bad instanceof BadInputException)) {
                bad = bad.getCause();
            }
            if (bad != null) {
                err.println("gantry: error: " + bad.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            err.println("gantry: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        };
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Version from the jar's Maven metadata. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gantry " + Provenance.gantryVersion()};
        }
    }
}
