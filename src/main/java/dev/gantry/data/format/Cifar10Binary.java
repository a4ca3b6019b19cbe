package dev.gantry.data.format;

import dev.gantry.BadInputException;
import dev.gantry.util.AtomicFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes the binary version of CIFAR-10 (Krizhevsky, "Learning Multiple Layers of
 * Features from Tiny Images", 2009; https://www.cs.toronto.edu/~kriz/cifar.html).
 *
 * <p>Each file is a sequence of {@value #RECORD_BYTES}-byte records: one label byte 0..9, then
 * 3072 pixel bytes, the 1024 red values, the 1024 green, the 1024 blue, each plane a row-major
 * 32×32 block. The official distribution holds {@code data_batch_1.bin} .. {@code
 * data_batch_5.bin} (10,000 records each) for training and {@code test_batch.bin} (10,000) for
 * testing, plus an optional {@code batches.meta.txt} with the ten class names, one a line.
 *
 * <p>CIFAR-10 cannot be fetched by Gantry: the user supplies the directory. Every file's size is
 * checked before any memory is allocated.
 */
public final class Cifar10Binary {

    /** Image height and width. */
    public static final int SIDE = 32;
    /** Colour channels, in file order R, G, B. */
    public static final int CHANNELS = 3;
    /** Values per image: {@code 3 * 32 * 32}. */
    public static final int DIM = CHANNELS * SIDE * SIDE;
    /** Bytes per record: one label byte and {@value #DIM} pixel bytes. */
    public static final int RECORD_BYTES = 1 + DIM;
    /** Number of classes; labels are 0..9. */
    public static final int CLASSES = 10;

    /** The five training files of the official binary version, in order. */
    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin");
    /** The test file of the official binary version. */
    public static final List<String> TEST_FILES = List.of("test_batch.bin");
    /** The optional file naming the classes, one per line. */
    public static final String META_FILE = "batches.meta.txt";
    /** The class names, label 0 first. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /**
     * Labelled images stored as one flat array.
     *
     * @param pixels {@code n * 3072} values in [0, 1] ({@code (byte & 0xFF) / 255f}), image after
     *     image, each in CHW order (the R plane, then G, then B, each row-major 32×32), exactly the
     *     file's layout
     * @param labels {@code n} class labels 0..9
     * @param n the number of images
     */
    public record Labelled(float[] pixels, int[] labels, int n) {

        public Labelled {
            Objects.requireNonNull(pixels, "pixels");
            Objects.requireNonNull(labels, "labels");
            if (n < 0 || (long) n * DIM != pixels.length || labels.length != n) {
                throw new IllegalArgumentException("Labelled of " + n + " images needs "
                        + (long) n * DIM + " pixels and " + n + " labels, got " + pixels.length
                        + " and " + labels.length);
            }
        }

        /** A copy of image {@code i}'s {@value #DIM} values, CHW. */
        public float[] row(int i) {
            Objects.checkIndex(i, n);
            return Arrays.copyOfRange(pixels, i * DIM, (i + 1) * DIM);
        }

        /** The label of image {@code i}. */
        public int label(int i) {
            Objects.checkIndex(i, n);
            return labels[i];
        }

        @Override
        public String toString() {
            return "Cifar10Binary.Labelled[n=" + n + ", 3×32×32]";
        }
    }

    private Cifar10Binary() {}

    /** Reads the five training files ({@link #TRAIN_FILES}) of {@code dir}. */
    public static Labelled readTrain(Path dir) {
        return read(dir, TRAIN_FILES);
    }

    /** Reads the test file ({@link #TEST_FILES}) of {@code dir}. */
    public static Labelled readTest(Path dir) {
        return read(dir, TEST_FILES);
    }

    /**
     * Reads {@code fileNames} from {@code dir}, in order, and concatenates their records.
     *
     * @throws BadInputException if the directory or a file is missing, a file's size is not a
     *     positive multiple of {@value #RECORD_BYTES} (checked for every file before anything is
     *     allocated), or a label is not 0..9
     * @throws IllegalArgumentException if {@code fileNames} is empty
     * @throws UncheckedIOException if reading fails for another reason
     */
    public static Labelled read(Path dir, List<String> fileNames) {
        if (fileNames.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR-10 files to read");
        }
        String expected = "expected the CIFAR-10 binary version's " + String.join(", ", fileNames)
                + " in " + dir + " (download cifar-10-binary.tar.gz from"
                + " https://www.cs.toronto.edu/~kriz/cifar.html and unpack it)";
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("CIFAR-10 directory " + dir
                    + (Files.exists(dir) ? " is not a directory; " : " does not exist; ") + expected);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        long total = 0;
        for (String name : fileNames) {
            Path file = dir.resolve(name);
            long size = size(file, expected);
            if (size == 0) {
                throw new BadInputException("CIFAR-10 file " + file + " is empty (0 bytes); expected"
                        + " a positive multiple of the record size " + RECORD_BYTES
                        + " bytes (1 label byte + " + DIM + " pixel bytes)");
            }
            if (size % RECORD_BYTES != 0) {
                throw new BadInputException("CIFAR-10 file " + file + " has size " + size
                        + " bytes, not a multiple of the record size " + RECORD_BYTES
                        + " bytes (1 label byte + " + DIM + " pixel bytes): " + size / RECORD_BYTES
                        + " whole records and " + size % RECORD_BYTES + " bytes over"
                        + " (truncated or not a CIFAR-10 binary file)");
            }
            total += size / RECORD_BYTES;
            if (total * DIM > Integer.MAX_VALUE - 8) {
                throw new BadInputException("CIFAR-10 files " + String.join(", ", fileNames)
                        + " in " + dir + " hold more than " + (Integer.MAX_VALUE - 8) / DIM
                        + " records, more than one array can hold; read fewer files at a time");
            }
            files.add(file);
            counts.add((int) (size / RECORD_BYTES));
        }

        int n = (int) total;
        float[] pixels = new float[n * DIM];
        int[] labels = new int[n];
        int at = 0;
        byte[] record = new byte[RECORD_BYTES];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            int count = counts.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (int r = 0; r < count; r++) {
                    int got = in.readNBytes(record, 0, RECORD_BYTES);
                    if (got < RECORD_BYTES) {
                        throw new BadInputException("CIFAR-10 file " + file + " ended inside record "
                                + r + " (it shrank while being read); expected " + count
                                + " records of " + RECORD_BYTES + " bytes");
                    }
                    int label = record[0] & 0xFF;
                    if (label >= CLASSES) {
                        throw new BadInputException("CIFAR-10 file " + file + " has label " + label
                                + " in record " + r + " (byte offset " + (long) r * RECORD_BYTES
                                + "); expected a class 0..9");
                    }
                    labels[at] = label;
                    int base = at * DIM;
                    for (int k = 0; k < DIM; k++) {
                        pixels[base + k] = (record[1 + k] & 0xFF) / 255f;
                    }
                    at++;
                }
            } catch (NoSuchFileException e) {
                throw new BadInputException("CIFAR-10 file " + file + " is missing; " + expected, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CIFAR-10 file " + file, e);
            }
        }
        return new Labelled(pixels, labels, n);
    }

    /**
     * The class names: those of {@code dir/batches.meta.txt} (non-blank lines, stripped) if that
     * file exists, else {@link #CLASS_NAMES}.
     *
     * @throws BadInputException if the file exists but does not name exactly ten classes
     */
    public static List<String> classNames(Path dir) {
        Path meta = dir.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new BadInputException("CIFAR-10 file " + meta + " cannot be read as UTF-8 text ("
                    + e.getMessage() + "); expected ten class names, one per line", e);
        }
        if (names.size() != CLASSES) {
            throw new BadInputException("CIFAR-10 file " + meta + " names " + names.size()
                    + " classes; expected " + CLASSES + ", one per line");
        }
        return List.copyOf(names);
    }

    /**
     * Writes {@code data} as one CIFAR-10 binary file, atomically; each pixel is stored as
     * {@code round(value * 255)}, so values read by {@link #read} round-trip exactly.
     *
     * @throws IllegalArgumentException if {@code data} is empty, a label is not 0..9, or a pixel is
     *     not in [0, 1]
     * @throws UncheckedIOException if writing fails
     */
    public static void write(Path file, Labelled data) {
        if (data.n() == 0) {
            throw new IllegalArgumentException("a CIFAR-10 file holds at least one record; got none");
        }
        for (int i = 0; i < data.n(); i++) {
            if (data.labels()[i] < 0 || data.labels()[i] >= CLASSES) {
                throw new IllegalArgumentException(
                        "label " + data.labels()[i] + " of image " + i + " is not 0..9");
            }
        }
        for (int k = 0; k < data.pixels().length; k++) {
            float p = data.pixels()[k];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("pixel " + k + " is " + p + ", not in [0, 1]");
            }
        }
        try {
            AtomicFile.write(file, out -> writeRecords(out, data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CIFAR-10 file " + file, e);
        }
    }

    private static void writeRecords(OutputStream out, Labelled data) throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        for (int i = 0; i < data.n(); i++) {
            record[0] = (byte) data.labels()[i];
            int base = i * DIM;
            for (int k = 0; k < DIM; k++) {
                record[1 + k] = (byte) Math.round(data.pixels()[base + k] * 255f);
            }
            out.write(record);
        }
        out.flush();
    }

    private static long size(Path file, String expected) {
        if (!Files.exists(file)) {
            throw new BadInputException("CIFAR-10 file " + file + " is missing; " + expected);
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("CIFAR-10 file " + file + " is not a regular file; " + expected);
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("CIFAR-10 file " + file + " is missing; " + expected, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of CIFAR-10 file " + file, e);
        }
    }
}
