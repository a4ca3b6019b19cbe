package dev.gantry.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir Path tmp;

    /** The values numpy wrote into the fixtures: arange(6).reshape(2, 3) / 8. */
    static final float[] FIXTURE = {0f, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f};

    /** Copies a fixture made by NumPy (see make_npy_fixtures.py) into the temp dir. */
    private Path fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/data/" + name)) {
            assertThat(in).as(name).isNotNull();
            Path f = tmp.resolve(name);
            Files.copy(in, f);
            return f;
        }
    }

    /** A version 1.0 file with the given header dict and data bytes, padded as numpy pads. */
    private Path npy(String name, String dict, byte[] data) throws IOException {
        int pad = 64 - (10 + dict.length() + 1) % 64;
        return npyRaw(name, 1, dict + " ".repeat(pad) + "\n", data);
    }

    private Path npyRaw(String name, int major, String header, byte[] data) throws IOException {
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + header.length() + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (lenBytes == 2) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return Files.write(tmp.resolve(name), b.array());
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void writesTheHeaderNumpyWrites() throws IOException {
        Path f = tmp.resolve("a.npy");
        Npy.writeFloat32(f, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = Files.readAllBytes(f);

        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        // 10-byte preamble + dict + spaces + '\n' must be a multiple of 64: 10 + 59 + 58 + 1 = 128.
        assertThat(dict).hasSize(59);
        String header = dict + " ".repeat(58) + "\n";
        assertThat(bytes).hasSize(128 + 6 * 4);
        assertThat(Arrays.copyOf(bytes, 10)).containsExactly(
                0x93 - 256, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0);
        assertThat(new String(bytes, 10, 118, StandardCharsets.US_ASCII)).isEqualTo(header);
        assertThat(Arrays.copyOfRange(bytes, 128, bytes.length)).isEqualTo(floats(1, 2, 3, 4, 5, 6));
    }

    @Test
    void writesTheSameBytesAsNumpySave() throws IOException {
        Path ours = tmp.resolve("ours.npy");
        Npy.writeFloat32(ours, FIXTURE, 2, 3);
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(fixture("numpy-f4-2x3.npy")));
    }

    @Test
    void headerIsAlignedForEveryShapeWidth() {
        for (int[] shape : new int[][] {{0, 0}, {1, 1}, {10000, 784}, {Integer.MAX_VALUE, 1}}) {
            byte[] h = Npy.header(shape[0], shape[1]);
            assertThat(h.length % 64).as(Arrays.toString(shape)).isZero();
            assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
            assertThat((h[8] & 0xFF) | (h[9] & 0xFF) << 8).isEqualTo(h.length - 10);
        }
    }

    @Test
    void readsNumpyFixturesVersion1And2() throws IOException {
        for (String name : new String[] {"numpy-f4-2x3.npy", "numpy-f4-2x3-v2.npy"}) {
            Npy.Matrix m = Npy.readFloat32(fixture(name));
            assertThat(m.rows()).isEqualTo(2);
            assertThat(m.cols()).isEqualTo(3);
            assertThat(m.data()).as(name).containsExactly(FIXTURE);
            assertThat(m.get(1, 0)).isEqualTo(0.375f);
        }
    }

    @Test
    void roundTripsExactBitsIncludingSpecialValues() {
        float[] data = {-0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY,
                1e-30f, (float) Math.PI, -7.5f};
        Path f = tmp.resolve("special.npy");
        Npy.writeFloat32(f, data, 4, 2);
        Npy.Matrix m = Npy.readFloat32(f);
        assertThat(m.rows()).isEqualTo(4);
        assertThat(m.cols()).isEqualTo(2);
        for (int i = 0; i < data.length; i++) {
            assertThat(Float.floatToRawIntBits(m.data()[i])).isEqualTo(Float.floatToRawIntBits(data[i]));
        }
    }

    @Test
    void roundTripsMoreThanOneWriteBuffer() {
        int rows = 300;
        int cols = 784; // 940,800 bytes: crosses the 64 KiB buffer many times, not on a boundary
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 1000) / 999f;
        }
        Path f = tmp.resolve("big.npy");
        Npy.writeFloat32(f, data, rows, cols);
        assertThat(Npy.readImages(f, 784).data()).isEqualTo(data);
    }

    @Test
    void roundTripsEmptyMatrix() {
        Path f = tmp.resolve("empty.npy");
        Npy.writeFloat32(f, new float[0], 0, 784);
        Npy.Matrix m = Npy.readImages(f, 784);
        assertThat(m.rows()).isZero();
        assertThat(m.cols()).isEqualTo(784);
    }

    @Test
    void readsHeadersWithOtherSpacingKeyOrderAndQuotes() throws IOException {
        Path f = npy("odd.npy", "{\"shape\":(1,2),'fortran_order':False,'descr':'<f4'}", floats(0.5f, 1f));
        Npy.Matrix m = Npy.readFloat32(f);
        assertThat(m.data()).containsExactly(0.5f, 1f);
    }

    @Test
    void writeRejectsWrongLengthAndKeepsTheOldFile() {
        Path f = tmp.resolve("keep.npy");
        Npy.writeFloat32(f, new float[] {1, 2}, 1, 2);
        assertThatThrownBy(() -> Npy.writeFloat32(f, new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Npy.readFloat32(f).data()).containsExactly(1f, 2f);
    }

    // ---- malformed files ----

    private static void assertBad(Path f, String... fragments) {
        assertThatThrownBy(() -> Npy.readFloat32(f))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContainingAll(fragments);
    }

    @Test
    void missing() {
        assertBad(tmp.resolve("none.npy"), "missing");
    }

    @Test
    void badMagic() throws IOException {
        assertBad(Files.write(tmp.resolve("csv.npy"), "1,2,3\n4,5,6\n".getBytes(StandardCharsets.US_ASCII)),
                "magic");
        assertBad(Files.write(tmp.resolve("empty.npy"), new byte[0]), "magic");
    }

    @Test
    void unsupportedVersion() throws IOException {
        assertBad(npyRaw("v3.npy", 3, "{}\n", new byte[0]), "version 3.0", "1.0 or 2.0");
    }

    @Test
    void unparsableHeader() throws IOException {
        assertBad(npy("junk.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3) ", new byte[24]),
                "unparsable header");
        assertBad(npy("neg.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", new byte[24]),
                "unparsable header");
        assertBad(npy("keys.npy", "{'descr': '<f4', 'shape': (2, 3), }", new byte[24]), "header keys");
    }

    @Test
    void headerLongerThanFile() throws IOException {
        byte[] b = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'};
        assertBad(Files.write(tmp.resolve("cut.npy"), b), "truncated inside its header");
    }

    @Test
    void float64IsRejectedNamingBothDtypes() throws IOException {
        assertBad(fixture("numpy-f8-2x3.npy"), "'<f8'", "float32", "'<f4'");
    }

    @Test
    void bigEndianIsRejected() throws IOException {
        assertBad(fixture("numpy-f4-bigendian.npy"), "'>f4'", "float32");
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        assertBad(fixture("numpy-f4-2x3-fortran.npy"), "fortran_order True", "C order");
    }

    @Test
    void rank1AndRank3AreRejected() throws IOException {
        assertBad(fixture("numpy-f4-rank1.npy"), "rank 1", "(6,)", "rank-2");
        assertBad(fixture("numpy-f4-rank3.npy"), "rank 3", "(2, 3, 4)", "rank-2");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] full = Files.readAllBytes(fixture("numpy-f4-2x3.npy"));
        Path f = Files.write(tmp.resolve("short.npy"), Arrays.copyOf(full, full.length - 3));
        assertBad(f, "truncated", "24 data bytes", "found 21");
    }

    @Test
    void trailingData() throws IOException {
        byte[] full = Files.readAllBytes(fixture("numpy-f4-2x3.npy"));
        Path f = Files.write(tmp.resolve("long.npy"), Arrays.copyOf(full, full.length + 4));
        assertBad(f, "4 trailing bytes");
    }

    /** Issue #12: the declared shape is checked against the file's length before anything is allocated. */
    @Test
    void aHugeDeclaredShapeInASmallFileFailsFastWithoutAllocating() throws IOException {
        String[] shapes = {"(1073741819, 2)", "(1000000000, 2)", "(2, 1073741819)"};
        for (int i = 0; i < shapes.length; i++) {
            String shape = shapes[i];
            Path f = npy("huge-" + i + ".npy",
                    "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", new byte[20_000]);
            long start = System.nanoTime();
            assertThatThrownBy(() -> Npy.readFloat32(f))
                    .isInstanceOf(BadInputException.class)   // not OutOfMemoryError
                    .hasMessageContaining(f.toString())
                    .hasMessageContainingAll("truncated", shape, "found 20000");
            assertThat((System.nanoTime() - start) / 1e9).as(shape).isLessThan(2.0);
        }
    }

    @Test
    void aDirectoryIsReportedAsADirectoryNotAsMissing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("samples.npy"));
        assertBad(dir, "is a directory");
        assertThatThrownBy(() -> Npy.readFloat32(dir)).hasMessageNotContaining("missing");
    }

    // ---- readImages ----

    @Test
    void readImagesAcceptsValuesInTheClosedUnitInterval() {
        Path f = tmp.resolve("ok.npy");
        Npy.writeFloat32(f, new float[] {0f, 1f, 0.5f, 1e-9f}, 2, 2);
        assertThat(Npy.readImages(f, 2).data()).containsExactly(0f, 1f, 0.5f, 1e-9f);
    }

    @Test
    void readImagesReportsTheFirstBadValue() {
        Path nan = tmp.resolve("nan.npy");
        Npy.writeFloat32(nan, new float[] {0f, 0.5f, 1f, Float.NaN, 2f, 0f}, 2, 3);
        assertThatThrownBy(() -> Npy.readImages(nan, 3))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(nan.toString(), "NaN", "index 3", "row 1, column 0", "[0, 1]");

        Path big = tmp.resolve("big.npy");
        Npy.writeFloat32(big, new float[] {0f, 0.5f, 1.5f, -1f}, 1, 4);
        assertThatThrownBy(() -> Npy.readImages(big, 4))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(big.toString(), "1.5", "index 2");

        Path neg = tmp.resolve("neg.npy");
        Npy.writeFloat32(neg, new float[] {-0.25f}, 1, 1);
        assertThatThrownBy(() -> Npy.readImages(neg, 1)).hasMessageContaining("-0.25");

        Path inf = tmp.resolve("inf.npy");
        Npy.writeFloat32(inf, new float[] {Float.POSITIVE_INFINITY}, 1, 1);
        assertThatThrownBy(() -> Npy.readImages(inf, 1)).hasMessageContaining("Infinity");
    }

    @Test
    void readImagesChecksTheRowWidth() {
        Path f = tmp.resolve("wide.npy");
        Npy.writeFloat32(f, new float[6], 2, 3);
        assertThatThrownBy(() -> Npy.readImages(f, 784))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(f.toString(), "(2, 3)", "784");
    }
}
