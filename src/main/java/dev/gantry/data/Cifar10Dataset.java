package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.data.format.Cifar10Binary;
import dev.gantry.util.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky, 2009), the official binary version, from a directory the user supplies
 * (it cannot be fetched here): {@code gantry data fetch cifar10 --from DIR} checks every file and
 * copies them into the cache, or {@code data.dir} points at them. Splits: data_batch_1..4 train
 * (40,000), data_batch_5 validates (10,000), test_batch tests (10,000).
 */
public final class Cifar10Dataset implements Dataset {

    static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    @Override
    public String name() {
        return "cifar10";
    }

    @Override
    public String description() {
        return "CIFAR-10 binary version, 3x32x32, 10 classes; from your own files (gantry data fetch cifar10 --from DIR)";
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public List<String> classNames() {
        return Cifar10Binary.CLASS_NAMES;
    }

    /** {@code $GANTRY_DATA/cifar10} or {@code ~/.cache/gantry/cifar10}. */
    public static Path cacheDir() {
        return IdxCache.defaultDir(System.getenv("GANTRY_DATA"), System.getProperty("user.home"), "cifar10");
    }

    static List<String> files(Split split) {
        List<String> train = Cifar10Binary.TRAIN_FILES;
        return switch (split) {
            case TRAIN -> train.subList(0, 4);
            case VALID -> train.subList(4, 5);
            case TEST -> Cifar10Binary.TEST_FILES;
        };
    }

    @Override
    public ImageSet load(Split split, Request request) {
        Path dir = request.dir() == null ? cacheDir() : request.dir();
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("CIFAR-10 directory " + dir + " does not exist: it cannot be fetched here;"
                    + " run `gantry data fetch cifar10 --from DIR` with the official binary files (data_batch_1.bin .. test_batch.bin)");
        }
        Cifar10Binary.Labelled l = Cifar10Binary.read(dir, files(split));
        return new ImageSet(name() + "-" + split.label(), SHAPE, l.n(), l.pixels(), l.labels());
    }

    @Override
    public String fetch(Path dir, Path from, PrintStream log) throws IOException {
        if (from == null) {
            throw new BadInputException("CIFAR-10 cannot be fetched here: pass --from DIR, a directory holding the official binary files "
                    + String.join(", ", all()));
        }
        Path target = dir == null ? cacheDir() : dir;
        // Read every file first: a malformed or missing one fails before anything is copied.
        for (Split s : Split.values()) {
            Cifar10Binary.read(from, files(s));
        }
        Files.createDirectories(target);
        List<String> copied = new ArrayList<>();
        for (String f : all()) {
            Path dst = target.resolve(f);
            if (Files.exists(dst) && Files.mismatch(dst, from.resolve(f)) == -1) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(from.resolve(f));
            AtomicFile.write(dst, out -> out.write(bytes));
            copied.add(f);
        }
        log.println("cifar10: " + copied.size() + " file(s) copied into " + target);
        return "cifar10 ready in " + target + " (" + (6 - copied.size()) + " already present, " + copied.size() + " copied)";
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(Cifar10Binary.TRAIN_FILES);
        all.addAll(Cifar10Binary.TEST_FILES);
        return all;
    }
}
