package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.data.format.Idx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The MNIST handwritten digits (LeCun et al., 1998), loaded from the four original IDX files and
 * split as in the GAN paper (Goodfellow et al., 2014, via pylearn2): the first 50,000 training
 * images for training, the last 10,000 for validation, and the 10,000 test images.
 *
 * <p>Pixels are floats in [0, 1] ({@code (byte & 0xFF) / 255f}), each image a row-major 28×28
 * block, so image {@code i} occupies {@code pixels[i * 784 .. (i + 1) * 784)}.
 *
 * <p>Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) has the same files, sizes and split and loads
 * with the same code: {@link #load(Path, String, String)}.
 */
public final class Mnist {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    public static final int ROWS = 28;
    public static final int COLS = 28;

    /** Images in the paper's training split: {@code trainAll()[0:50000]}. */
    public static final int TRAIN_SIZE = 50_000;
    /** Images in the paper's validation split: {@code trainAll()[50000:60000]}. */
    public static final int VALID_SIZE = 10_000;

    private static final String HINT = "run `gantry data fetch mnist` (or set GANTRY_DATA)";

    /**
     * A batch of labelled images stored as one flat array.
     *
     * @param pixels {@code n * rows * cols} values in [0, 1], image after image, each row-major
     * @param labels {@code n} digit labels 0..9
     * @param n the number of images
     * @param rows image height
     * @param cols image width
     */
    public record Images(float[] pixels, byte[] labels, int n, int rows, int cols) {

        public Images {
            Objects.requireNonNull(pixels, "pixels");
            Objects.requireNonNull(labels, "labels");
            if (n < 0 || rows <= 0 || cols <= 0) {
                throw new IllegalArgumentException(
                        "need n >= 0 and positive rows, cols; got " + n + ", " + rows + ", " + cols);
            }
            if ((long) n * rows * cols != pixels.length || labels.length != n) {
                throw new IllegalArgumentException("Images of " + n + "×" + rows + "×" + cols
                        + " need " + (long) n * rows * cols + " pixels and " + n + " labels, got "
                        + pixels.length + " and " + labels.length);
            }
        }

        /** Values per image: {@code rows * cols}. */
        public int dim() {
            return rows * cols;
        }

        /** A copy of image {@code i}'s pixels, row-major. */
        public float[] row(int i) {
            Objects.checkIndex(i, n);
            int d = dim();
            return Arrays.copyOfRange(pixels, i * d, (i + 1) * d);
        }

        /** The label of image {@code i}. */
        public int label(int i) {
            Objects.checkIndex(i, n);
            return labels[i];
        }

        /** A copy of images {@code [from, to)}. */
        public Images slice(int from, int to) {
            Objects.checkFromToIndex(from, to, n);
            int d = dim();
            return new Images(Arrays.copyOfRange(pixels, from * d, to * d),
                    Arrays.copyOfRange(labels, from, to), to - from, rows, cols);
        }

        @Override
        public String toString() {
            return "Images[n=" + n + ", " + rows + "×" + cols + "]";
        }
    }

    private final Images trainAll;
    private final Images test;
    private final String trainSource;
    private final String datasetName;
    private Images train;
    private Images valid;

    Mnist(Images trainAll, Images test, String trainSource) {
        this(trainAll, test, trainSource, "MNIST");
    }

    Mnist(Images trainAll, Images test, String trainSource, String datasetName) {
        this.trainAll = trainAll;
        this.test = test;
        this.trainSource = trainSource;
        this.datasetName = datasetName;
    }

    /**
     * Loads MNIST from a directory holding the four IDX files, each plain or with a {@code .gz}
     * suffix (the plain file wins when both exist).
     *
     * @throws BadInputException if the directory or a file is missing, a file is malformed, images
     *     are not 28×28, or image and label counts differ
     */
    public static Mnist load(Path dir) {
        return load(dir, "MNIST", HINT);
    }

    /**
     * Loads a dataset in MNIST's layout (the same four IDX file names, 28×28 images, labels 0..9,
     * the same split), such as Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017).
     *
     * @param datasetName the name every error message uses, e.g. {@code "Fashion-MNIST"}
     * @param hint appended to a missing-directory or missing-file message, e.g. {@code "run `gantry
     *     data fetch fashion-mnist`"}
     * @throws BadInputException as {@link #load(Path)}
     */
    public static Mnist load(Path dir, String datasetName, String hint) {
        Objects.requireNonNull(datasetName, "datasetName");
        Objects.requireNonNull(hint, "hint");
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(datasetName + " directory " + dir + " does not exist; " + hint);
        }
        Path trainImages = find(dir, TRAIN_IMAGES, datasetName, hint);
        Path trainLabels = find(dir, TRAIN_LABELS, datasetName, hint);
        Path testImages = find(dir, TEST_IMAGES, datasetName, hint);
        Path testLabels = find(dir, TEST_LABELS, datasetName, hint);
        return new Mnist(read(trainImages, trainLabels, datasetName),
                read(testImages, testLabels, datasetName), trainImages.toString(), datasetName);
    }

    /** Loads MNIST from {@link MnistFetcher#defaultDir()}. */
    public static Mnist loadDefault() {
        return load(MnistFetcher.defaultDir());
    }

    /** All 60,000 training images. */
    public Images trainAll() {
        return trainAll;
    }

    /** The paper's training split: the first {@value #TRAIN_SIZE} training images. */
    public synchronized Images train() {
        if (train == null) {
            requireStandardTrainSize();
            train = trainAll.slice(0, TRAIN_SIZE);
        }
        return train;
    }

    /** The paper's validation split: training images {@value #TRAIN_SIZE} to 60,000. */
    public synchronized Images valid() {
        if (valid == null) {
            requireStandardTrainSize();
            valid = trainAll.slice(TRAIN_SIZE, TRAIN_SIZE + VALID_SIZE);
        }
        return valid;
    }

    /** The 10,000 test images. */
    public Images test() {
        return test;
    }

    private void requireStandardTrainSize() {
        if (trainAll.n() != TRAIN_SIZE + VALID_SIZE) {
            throw new BadInputException(datasetName + " file " + trainSource + " holds " + trainAll.n()
                    + " images; the paper's train/valid split (" + TRAIN_SIZE + "/" + VALID_SIZE
                    + ") expects " + (TRAIN_SIZE + VALID_SIZE));
        }
    }

    private static Path find(Path dir, String name, String datasetName, String hint) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new BadInputException(
                datasetName + " file " + plain + " (or " + gz.getFileName() + ") is missing; " + hint);
    }

    private static Images read(Path imagesFile, Path labelsFile, String datasetName) {
        Idx.IdxArray images = Idx.read(imagesFile);
        int[] d = images.dims();
        if (d.length != 3 || d[1] != ROWS || d[2] != COLS) {
            throw new BadInputException(datasetName + " image file " + imagesFile + " has dims "
                    + Arrays.toString(d) + "; expected [N, " + ROWS + ", " + COLS + "]");
        }
        Idx.IdxArray labels = Idx.read(labelsFile);
        if (labels.rank() != 1) {
            throw new BadInputException(datasetName + " label file " + labelsFile + " has dims "
                    + Arrays.toString(labels.dims()) + "; expected [N]");
        }
        int n = d[0];
        if (labels.dims()[0] != n) {
            throw new BadInputException(datasetName + " image file " + imagesFile + " holds " + n
                    + " images but label file " + labelsFile + " holds " + labels.dims()[0]
                    + " labels; expected the same count");
        }
        byte[] lab = labels.data();
        for (int i = 0; i < n; i++) {
            if (lab[i] < 0 || lab[i] > 9) {
                throw new BadInputException(datasetName + " label file " + labelsFile + " has label "
                        + (lab[i] & 0xFF) + " at index " + i + "; expected a "
                        + ("MNIST".equals(datasetName) ? "digit" : "class") + " 0..9");
            }
        }
        byte[] raw = images.data();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xFF) / 255f;
        }
        return new Images(pixels, lab, n, ROWS, COLS);
    }
}
