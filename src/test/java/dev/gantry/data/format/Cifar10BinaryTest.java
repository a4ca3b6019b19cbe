package dev.gantry.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures are built byte by byte here, independently of {@link Cifar10Binary#write}. */
class Cifar10BinaryTest {

    @TempDir Path dir;

    static final int PLANE = 32 * 32;

    /** One record: the label, then pixel (c, y, x) = (seed + 7c + 3y + x) mod 256. */
    static byte[] record(int label, int seed) {
        byte[] r = new byte[3073];
        r[0] = (byte) label;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    r[1 + c * PLANE + y * 32 + x] = (byte) (seed + 7 * c + 3 * y + x);
                }
            }
        }
        return r;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsLabelsAndPixelsInTheFilesLayout() throws IOException {
        file("a.bin", concat(record(3, 0), record(9, 200)));
        Cifar10Binary.Labelled d = Cifar10Binary.read(dir, List.of("a.bin"));

        assertThat(d.n()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(3, 9);
        assertThat(d.pixels()).hasSize(2 * 3072);
        // image 1, channel 2 (blue), y = 31, x = 5: (200 + 14 + 93 + 5) mod 256 = 56
        assertThat(d.pixels()[3072 + 2 * PLANE + 31 * 32 + 5]).isEqualTo(56 / 255f);
        assertThat(d.row(1)[2 * PLANE + 31 * 32 + 5]).isEqualTo(56 / 255f);
        assertThat(d.label(0)).isEqualTo(3);
        for (float p : d.pixels()) {
            assertThat(p).isBetween(0f, 1f);
        }
    }

    @Test
    void roundTripsThroughWriteByteForByte() throws IOException {
        byte[] bytes = concat(record(0, 1), record(5, 17), record(9, 255));
        file("in.bin", bytes);
        Cifar10Binary.Labelled d = Cifar10Binary.read(dir, List.of("in.bin"));

        Path out = dir.resolve("out.bin");
        Cifar10Binary.write(out, d);
        assertThat(out).hasBinaryContent(bytes);
        Cifar10Binary.Labelled again = Cifar10Binary.read(dir, List.of("out.bin"));
        assertThat(again.labels()).containsExactly(d.labels());
        assertThat(again.pixels()).containsExactly(d.pixels());
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("in.bin", "out.bin");
        }
    }

    @Test
    void extremeBytesMapToZeroAndOne() throws IOException {
        byte[] r = new byte[3073];
        r[1] = (byte) 255;
        r[2] = (byte) 128;
        file("x.bin", r);
        float[] p = Cifar10Binary.read(dir, List.of("x.bin")).pixels();
        assertThat(p[0]).isEqualTo(1f);
        assertThat(p[1]).isEqualTo(128 / 255f);
        assertThat(p[2]).isEqualTo(0f);
    }

    @Test
    void channelOrderIsRedGreenBlue() throws IOException {
        byte[] red = new byte[3073];
        red[0] = 1;
        Arrays.fill(red, 1, 1 + PLANE, (byte) 255);
        file("red.bin", red);
        float[] p = Cifar10Binary.read(dir, List.of("red.bin")).pixels();
        for (int k = 0; k < PLANE; k++) {
            assertThat(p[k]).as("R at %d", k).isEqualTo(1f);
            assertThat(p[PLANE + k]).as("G at %d", k).isEqualTo(0f);
            assertThat(p[2 * PLANE + k]).as("B at %d", k).isEqualTo(0f);
        }
    }

    @Test
    void concatenatesFilesInTheGivenOrder() throws IOException {
        file("one.bin", concat(record(1, 10), record(2, 20)));
        file("two.bin", record(7, 70));
        Cifar10Binary.Labelled d = Cifar10Binary.read(dir, List.of("two.bin", "one.bin"));
        assertThat(d.n()).isEqualTo(3);
        assertThat(d.labels()).containsExactly(7, 1, 2);
        assertThat(d.pixels()[0]).isEqualTo(70 / 255f);
        assertThat(d.pixels()[3072]).isEqualTo(10 / 255f);
        assertThat(d.pixels()[2 * 3072]).isEqualTo(20 / 255f);
    }

    @Test
    void officialNamesAndClasses() throws IOException {
        assertThat(Cifar10Binary.RECORD_BYTES).isEqualTo(3073);
        assertThat(Cifar10Binary.TRAIN_FILES).containsExactly("data_batch_1.bin", "data_batch_2.bin",
                "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
        assertThat(Cifar10Binary.TEST_FILES).containsExactly("test_batch.bin");
        assertThat(Cifar10Binary.CLASS_NAMES).containsExactly("airplane", "automobile", "bird", "cat",
                "deer", "dog", "frog", "horse", "ship", "truck");

        for (int b = 1; b <= 5; b++) {
            file("data_batch_" + b + ".bin", record(b, b));
        }
        file("test_batch.bin", record(0, 0));
        assertThat(Cifar10Binary.readTrain(dir).labels()).containsExactly(1, 2, 3, 4, 5);
        assertThat(Cifar10Binary.readTest(dir).n()).isEqualTo(1);
    }

    @Test
    void classNamesComeFromTheMetaFileWhenPresent() throws IOException {
        assertThat(Cifar10Binary.classNames(dir)).isEqualTo(Cifar10Binary.CLASS_NAMES);
        Files.writeString(dir.resolve("batches.meta.txt"),
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj \n\n"); // the official file ends in blank lines
        assertThat(Cifar10Binary.classNames(dir)).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        assertThatThrownBy(() -> Cifar10Binary.classNames(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll("batches.meta.txt", "2 classes", "10");
    }

    // ---- bad input ----

    @Test
    void truncatedFileIsRefusedWithItsSize() throws IOException {
        byte[] two = concat(record(1, 1), record(2, 2));
        Path f = file("data_batch_1.bin", Arrays.copyOf(two, 3073 * 2 - 5));
        assertThatThrownBy(() -> Cifar10Binary.read(dir, List.of("data_batch_1.bin")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(f.toString(), "6141", "3073", "not a multiple");
    }

    @Test
    void sizesOfAllFilesAreCheckedBeforeReading() throws IOException {
        file("good.bin", record(1, 1));
        file("bad.bin", new byte[3074]);
        file("badlabel.bin", record(12, 0));
        // The bad size of the second file is found before the bad label of the third is read.
        assertThatThrownBy(() -> Cifar10Binary.read(dir, List.of("good.bin", "badlabel.bin", "bad.bin")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll("bad.bin", "3074");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path f = file("test_batch.bin", new byte[0]);
        assertThatThrownBy(() -> Cifar10Binary.read(dir, Cifar10Binary.TEST_FILES))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(f.toString(), "empty", "3073");
    }

    @Test
    void labelTenIsRefusedWithTheRecordIndex() throws IOException {
        Path f = file("b.bin", concat(record(0, 0), record(9, 0), record(10, 0)));
        assertThatThrownBy(() -> Cifar10Binary.read(dir, List.of("b.bin")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(f.toString(), "label 10", "record 2", "0..9");
    }

    @Test
    void missingFileIsNamedWithTheExpectedFiles() throws IOException {
        for (int b = 1; b <= 4; b++) {
            file("data_batch_" + b + ".bin", record(b, b));
        }
        assertThatThrownBy(() -> Cifar10Binary.readTrain(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(dir.resolve("data_batch_5.bin").toString(), "missing",
                        "data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin");
    }

    @Test
    void missingDirectoryIsNamedWithTheExpectedFiles() {
        Path none = dir.resolve("cifar-10-batches-bin");
        assertThatThrownBy(() -> Cifar10Binary.readTest(none))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(none.toString(), "does not exist", "test_batch.bin");
    }

    @Test
    void directoryInPlaceOfAFileIsBadInput() throws IOException {
        Files.createDirectory(dir.resolve("test_batch.bin"));
        assertThatThrownBy(() -> Cifar10Binary.readTest(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll("test_batch.bin", "not a regular file");
    }

    @Test
    void writeRefusesWhatTheFormatCannotHold() {
        Path out = dir.resolve("w.bin");
        assertThatThrownBy(() -> Cifar10Binary.write(out, new Cifar10Binary.Labelled(new float[3072], new int[] {10}, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 10");
        float[] p = new float[3072];
        p[5] = 1.5f;
        assertThatThrownBy(() -> Cifar10Binary.write(out, new Cifar10Binary.Labelled(p, new int[] {1}, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixel 5");
        assertThatThrownBy(() -> new Cifar10Binary.Labelled(new float[3071], new int[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out).doesNotExist();
    }
}
