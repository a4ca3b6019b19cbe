package dev.gantry.data;

import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A named source of images (and labels): one implementation per dataset, registered in
 * {@link Datasets}. It knows its image shape, its classes, its three splits and how to obtain its
 * files; everything else (models, metrics, the trainer) sees only {@link ImageSet}s.
 */
public interface Dataset {

    /** The registry name, as in {@code data.name} and {@code gantry data fetch NAME}. */
    String name();

    /** One line for {@code --help} and listings: what it is and where it comes from. */
    String description();

    ImageShape shape();

    /** Class names by label; empty for unlabelled data. */
    List<String> classNames();

    /**
     * Loads one split. File-backed datasets read {@code request.dir()} (the cache when null,
     * fetching into it on first use where the dataset can be fetched); generated ones draw from
     * {@code request.seed()}.
     *
     * @throws BadInputException for missing or malformed files, naming the file
     */
    ImageSet load(Split split, Request request);

    /**
     * Obtains and verifies the files: into {@code dir} (the cache when null), from the registry or
     * from {@code from}, a directory of files the user already has. Idempotent.
     *
     * @return a one-line summary for the user
     */
    default String fetch(Path dir, Path from, PrintStream log) throws IOException {
        throw new BadInputException(name() + " has no files to fetch: " + description());
    }

    /**
     * What a load needs.
     *
     * @param dir the directory of the dataset's files, or null for the cache
     * @param trainSize images of the training split generated (generated datasets only)
     * @param seed master seed of the run (generated datasets only)
     * @param log where progress of a first fetch goes
     */
    record Request(Path dir, int trainSize, long seed, PrintStream log) {}
}
