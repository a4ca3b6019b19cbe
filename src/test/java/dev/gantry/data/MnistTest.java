package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.BadInputException;
import dev.gantry.data.format.Idx;
import dev.gantry.data.format.IdxTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @TempDir Path dir;

    static final int PIXELS = 28 * 28;

    /** Image i has pixel (r, c) = (i + 3r + 5c) mod 256, label i mod 10. */
    static byte[] images(int n) {
        byte[] b = new byte[n * PIXELS];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    b[i * PIXELS + r * 28 + c] = (byte) (i + 3 * r + 5 * c);
                }
            }
        }
        return b;
    }

    static byte[] labels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 10);
        }
        return b;
    }

    /** Writes a tiny MNIST: {@code nTrain} training and {@code nTest} test images. */
    static void writeFake(Path dir, int nTrain, int nTest) {
        Idx.write(dir.resolve(Mnist.TRAIN_IMAGES), new int[] {nTrain, 28, 28}, images(nTrain));
        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {nTrain}, labels(nTrain));
        Idx.write(dir.resolve(Mnist.TEST_IMAGES), new int[] {nTest, 28, 28}, images(nTest));
        Idx.write(dir.resolve(Mnist.TEST_LABELS), new int[] {nTest}, labels(nTest));
    }

    @Test
    void loadsPixelsRowMajorScaledToUnitInterval() {
        writeFake(dir, 7, 3);
        Mnist mnist = Mnist.load(dir);
        Mnist.Images train = mnist.trainAll();
        assertThat(train.n()).isEqualTo(7);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.cols()).isEqualTo(28);
        assertThat(train.dim()).isEqualTo(784);
        assertThat(train.pixels()).hasSize(7 * 784);
        assertThat(mnist.test().n()).isEqualTo(3);

        int i = 6;
        int r = 20;
        int c = 27; // (6 + 60 + 135) = 201
        assertThat(train.pixels()[i * 784 + r * 28 + c]).isEqualTo(201 / 255f);
        assertThat(train.row(i)[r * 28 + c]).isEqualTo(201 / 255f);
        assertThat(train.label(i)).isEqualTo(6);
        for (float p : train.pixels()) {
            assertThat(p).isBetween(0f, 1f);
        }
    }

    @Test
    void extremeBytesMapToZeroAndOne() {
        byte[] img = new byte[PIXELS];
        img[0] = (byte) 255;
        img[1] = (byte) 128;
        Idx.write(dir.resolve(Mnist.TRAIN_IMAGES), new int[] {1, 28, 28}, img);
        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {1}, new byte[] {9});
        Idx.write(dir.resolve(Mnist.TEST_IMAGES), new int[] {1, 28, 28}, img);
        Idx.write(dir.resolve(Mnist.TEST_LABELS), new int[] {1}, new byte[] {0});
        float[] p = Mnist.load(dir).trainAll().pixels();
        assertThat(p[0]).isEqualTo(1f);
        assertThat(p[1]).isEqualTo(128 / 255f);
        assertThat(p[2]).isEqualTo(0f);
    }

    @Test
    void readsGzippedFilesAndPrefersPlain() throws IOException {
        writeFake(dir, 4, 2);
        Path labels = dir.resolve(Mnist.TEST_LABELS);
        Files.write(dir.resolve(Mnist.TEST_LABELS + ".gz"), IdxTest.gzip(Files.readAllBytes(labels)));
        Files.delete(labels);
        assertThat(Mnist.load(dir).test().labels()).containsExactly(0, 1);

        // Both present: the plain file wins, so a stale .gz cannot shadow it.
        Idx.write(labels, new int[] {2}, new byte[] {7, 8});
        assertThat(Mnist.load(dir).test().labels()).containsExactly(7, 8);
    }

    @Test
    void rowAndSliceAreCopies() {
        writeFake(dir, 5, 1);
        Mnist.Images all = Mnist.load(dir).trainAll();
        float before = all.pixels()[784];
        all.row(1)[0] = 42f;
        Mnist.Images s = all.slice(1, 3);
        s.pixels()[0] = 42f;
        assertThat(all.pixels()[784]).isEqualTo(before);
        assertThat(s.n()).isEqualTo(2);
        assertThat(s.labels()).containsExactly(1, 2);
        assertThat(s.row(1)).isEqualTo(all.row(2));
        assertThatThrownBy(() -> all.slice(3, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> all.row(5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void meanPixelMatchesAClosedForm() {
        float[] p = {0f, 0.25f, 0.75f, 1f, 0.5f, 0.5f, 0f, 1f}; // dyadic: the mean is exactly 0.5
        assertThat(new ImageSet("t", new ImageShape(1, 2, 2), 2, p, null).meanPixel()).isEqualTo(0.5);
    }

    @Test
    void meanPixelAccumulatesInDouble() {
        // A float running sum of 4M copies of 0.1f drifts by percents; a double sum does not.
        int n = 4_000;
        float[] p = new float[n * 1000];
        java.util.Arrays.fill(p, 0.1f);
        double mean = new ImageSet("t", new ImageShape(1, 1, 1000), n, p, null).meanPixel();
        assertThat(mean).isCloseTo((double) 0.1f, within(1e-12));
    }

    @Test
    void paperSplitIsFirst50000ThenLast10000() {
        int n = 60_000;
        float[] p = new float[n];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = i / (float) n;
            labels[i] = (byte) (i % 10);
        }
        Mnist.Images all = new Mnist.Images(p, labels, n, 1, 1);
        Mnist mnist = new Mnist(all, all.slice(0, 10), "fake");
        assertThat(mnist.train().n()).isEqualTo(50_000);
        assertThat(mnist.valid().n()).isEqualTo(10_000);
        assertThat(mnist.train().row(49_999)).containsExactly(all.row(49_999));
        assertThat(mnist.valid().row(0)).containsExactly(all.row(50_000));
        assertThat(mnist.valid().row(9_999)).containsExactly(all.row(59_999));
        assertThat(mnist.train()).isSameAs(mnist.train());
    }

    @Test
    void paperSplitOfANonStandardSizeIsBadInput() {
        writeFake(dir, 7, 3);
        Mnist mnist = Mnist.load(dir);
        assertThatThrownBy(mnist::train)
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TRAIN_IMAGES, "7 images", "60000");
    }

    // ---- bad input ----

    @Test
    void missingDirectoryTellsHowToFetch() {
        Path none = dir.resolve("nowhere");
        assertThatThrownBy(() -> Mnist.load(none))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(none.toString(), "gantry data fetch mnist", "GANTRY_DATA");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        writeFake(dir, 2, 2);
        Files.delete(dir.resolve(Mnist.TEST_IMAGES));
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_IMAGES, ".gz", "missing",
                        "gantry data fetch mnist", "GANTRY_DATA");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() {
        writeFake(dir, 7, 3);
        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {6}, labels(6));
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, "7 images", "6 labels");
    }

    @Test
    void imagesMustBe28By28() {
        writeFake(dir, 2, 2);
        Idx.write(dir.resolve(Mnist.TEST_IMAGES), new int[] {2, 28, 27}, new byte[2 * 28 * 27]);
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_IMAGES, "[2, 28, 27]", "[N, 28, 28]");

        Idx.write(dir.resolve(Mnist.TEST_IMAGES), new int[] {2, 784}, new byte[2 * 784]);
        assertThatThrownBy(() -> Mnist.load(dir)).hasMessageContaining("[2, 784]");
    }

    @Test
    void labelsMustBeRank1Digits() {
        writeFake(dir, 2, 2);
        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {2, 1}, new byte[] {1, 2});
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TRAIN_LABELS, "[2, 1]", "[N]");

        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {2}, new byte[] {3, (byte) 200});
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TRAIN_LABELS, "label 200", "index 1", "0..9");
    }

    @Test
    void malformedIdxInsideTheDirectoryIsNamed() throws IOException {
        writeFake(dir, 2, 2);
        Files.write(dir.resolve(Mnist.TRAIN_IMAGES), new byte[] {0, 0, 8});
        assertThatThrownBy(() -> Mnist.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(Mnist.TRAIN_IMAGES);
    }
}
