package dev.gantry.data;

import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What MNIST and Fashion-MNIST share: the four IDX files of 28×28 grey images with labels 0..9,
 * and the GAN paper's split (train[0:50000] / train[50000:60000] / t10k). Subclasses say where
 * the files come from.
 */
abstract class IdxDigitsDataset implements Dataset {

    static final ImageShape SHAPE = new ImageShape(1, Mnist.ROWS, Mnist.COLS);

    /** The display name in messages ("MNIST", "Fashion-MNIST"). */
    abstract String displayName();

    /** The cache directory when {@code data.dir} is empty. */
    abstract Path cacheDir();

    /** The four files' SHA-256 (of the decompressed files). */
    abstract Map<String, String> sha256();

    /** Downloads and verifies into {@code dir}. */
    abstract String download(Path dir, PrintStream log) throws IOException;

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public ImageSet load(Split split, Request request) {
        Mnist m = files(request);
        Mnist.Images images = switch (split) {
            case TRAIN -> m.train();
            case VALID -> m.valid();
            case TEST -> m.test();
        };
        int[] labels = new int[images.n()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.labels()[i];
        }
        return new ImageSet(name() + "-" + split.label(), SHAPE, images.n(), images.pixels(), labels);
    }

    /** The loaded files: from data.dir as given, or from the cache, fetched into it when missing. */
    Mnist files(Request request) {
        boolean isCache = request.dir() == null;
        Path dir = isCache ? cacheDir() : request.dir();
        if (isCache && !complete(dir)) {
            request.log().println(displayName() + " not found in " + dir + ": fetching it...");
            try {
                download(dir, request.log());
            } catch (IOException e) {
                throw new UncheckedIOException("fetching " + displayName() + " failed: " + e.getMessage(), e);
            }
        }
        if (isCache) {
            // The cache is Gantry's: check every file each time it is opened (a fraction of a second
            // next to an epoch), so bit rot in the cache never trains silently.
            IdxCache.verify(dir, sha256(), displayName(), "run `gantry data fetch " + name() + "` to replace the damaged file");
        }
        return Mnist.load(dir, displayName(), "run `gantry data fetch " + name() + "` (or set GANTRY_DATA)");
    }

    boolean complete(Path dir) {
        for (String f : sha256().keySet()) {
            if (!Files.exists(dir.resolve(f)) && !Files.exists(dir.resolve(f + ".gz"))) {
                return false;
            }
        }
        return true;
    }

    /** The labels as strings "0".."9" unless a subclass names them. */
    static List<String> digits() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    static BadInputException noFrom(String name) {
        return new BadInputException("gantry data fetch " + name + " takes no --from: its files come from their package registry");
    }
}
