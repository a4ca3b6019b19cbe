package dev.gantry.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class IdxTest {

    @TempDir Path tmp;

    /** Bytes 0..count-1 mod 256, so every position is distinguishable. */
    static byte[] ramp(int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    public static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(plain);
        }
        return bos.toByteArray();
    }

    @Test
    void writesTheHeaderLeCunDescribes() throws IOException {
        Path f = tmp.resolve("x-idx3-ubyte");
        Idx.write(f, new int[] {2, 3, 260}, ramp(2 * 3 * 260));
        byte[] bytes = Files.readAllBytes(f);
        // magic 0x00000803, then big-endian sizes 2, 3, 260 (= 0x104)
        assertThat(Arrays.copyOf(bytes, 16)).containsExactly(
                0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 4);
        assertThat(bytes).hasSize(16 + 2 * 3 * 260);
    }

    @Test
    void roundTripsPlain() {
        Path f = tmp.resolve("images");
        byte[] data = ramp(4 * 28 * 28);
        Idx.write(f, new int[] {4, 28, 28}, data);
        Idx.IdxArray a = Idx.read(f);
        assertThat(a.dims()).containsExactly(4, 28, 28);
        assertThat(a.data()).isEqualTo(data);
    }

    @Test
    void roundTripsRank1AndUnsignedValues() {
        Path f = tmp.resolve("labels");
        byte[] data = {0, 9, (byte) 200, (byte) 255};
        Idx.write(f, new int[] {4}, data);
        Idx.IdxArray a = Idx.read(f);
        assertThat(a.rank()).isEqualTo(1);
        assertThat(a.data()[3] & 0xFF).isEqualTo(255);
    }

    @Test
    void readsGzipDetectedByMagicNotName() throws IOException {
        Path plain = tmp.resolve("plain");
        byte[] data = ramp(3 * 5);
        Idx.write(plain, new int[] {3, 5}, data);
        byte[] gz = gzip(Files.readAllBytes(plain));

        Path named = Files.write(tmp.resolve("named.gz"), gz);
        Path unnamed = Files.write(tmp.resolve("no-suffix"), gz);
        Path plainNamedGz = Files.write(tmp.resolve("really-plain.gz"), Files.readAllBytes(plain));
        for (Path f : new Path[] {named, unnamed, plainNamedGz}) {
            Idx.IdxArray a = Idx.read(f);
            assertThat(a.dims()).as(f.toString()).containsExactly(3, 5);
            assertThat(a.data()).as(f.toString()).isEqualTo(data);
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path f = tmp.resolve("labels");
        Idx.write(f, new int[] {2}, new byte[] {1, 2});
        Idx.write(f, new int[] {3}, new byte[] {3, 4, 5});
        assertThat(Idx.read(f).data()).containsExactly(3, 4, 5);
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void writeRejectsInconsistentArguments() {
        Path f = tmp.resolve("x");
        assertThatThrownBy(() -> Idx.write(f, new int[] {2, 2}, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Idx.write(f, new int[] {0}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Idx.write(f, new int[] {}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(f).doesNotExist();
    }

    // ---- malformed files: every one is a BadInputException naming the file ----

    private Path file(String name, int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Files.write(tmp.resolve(name), b);
    }

    private static void assertBad(Path f, String... fragments) {
        assertThatThrownBy(() -> Idx.read(f))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContainingAll(fragments);
    }

    @Test
    void missingFile() {
        assertBad(tmp.resolve("nope-idx1-ubyte"), "missing");
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        assertBad(Files.createDirectory(tmp.resolve("dir")), "not a regular file", "is a directory");
        assertThatThrownBy(() -> Idx.read(tmp.resolve("dir"))).hasMessageNotContaining("missing");
    }

    /** Issue #12: a gzip stream with nothing after its header said "(null)". */
    @Test
    void gzipWithOnlyAHeaderSaysSoClearly() throws IOException {
        byte[] header = Arrays.copyOf(gzip(new byte[0]), 10);
        for (int len : new int[] {2, 5, 10}) {
            Path f = Files.write(tmp.resolve("header-only-" + len + ".gz"), Arrays.copyOf(header, len));
            assertBad(f, "gzip");
            assertThatThrownBy(() -> Idx.read(f)).hasMessageNotContaining("null")
                    .hasMessageContaining("ends");
        }
        // An empty gzip stream (header and trailer, no content) is an empty IDX file.
        assertBad(Files.write(tmp.resolve("empty.gz"), gzip(new byte[0])), "empty");
    }

    @Test
    void emptyFile() throws IOException {
        assertBad(file("empty"), "empty");
    }

    @Test
    void magicCutShort() throws IOException {
        assertBad(file("short", 0, 0, 8), "ends after 3 bytes");
    }

    @Test
    void badMagic() throws IOException {
        // A PNG signature instead of an IDX header.
        assertBad(file("png", 0x89, 'P', 'N', 'G', 0, 0, 0, 1, 7), "magic", "0x89 0x50", "0x00 0x00");
    }

    @Test
    void wrongTypeByte() throws IOException {
        // 0x0D is float: a valid IDX type, but not unsigned byte.
        assertBad(file("floats", 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0), "0x0d", "0x08");
    }

    @Test
    void rankZeroAndRankTooLarge() throws IOException {
        assertBad(file("rank0", 0, 0, 8, 0), "rank 0");
        assertBad(file("rank5", 0, 0, 8, 5, 0, 0, 0, 1), "rank 5");
    }

    @Test
    void zeroOrNegativeDimension() throws IOException {
        assertBad(file("zero", 0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 0), "dimension 1", "positive");
        assertBad(file("huge", 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF), "4294967295", "positive");
    }

    @Test
    void headerCutShort() throws IOException {
        assertBad(file("hdr", 0, 0, 8, 3, 0, 0, 0, 2, 0, 0), "truncated", "16 bytes", "found 10");
    }

    @Test
    void truncatedData() throws IOException {
        // dims [2, 3] need 12 + 6 = 18 bytes; give 4 data bytes.
        assertBad(file("trunc", 0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4),
                "truncated", "need 18 bytes", "found 16");
    }

    @Test
    void trailingBytes() throws IOException {
        Path f = tmp.resolve("trail");
        Idx.write(f, new int[] {2}, new byte[] {1, 2});
        Files.write(f, new byte[] {9, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
        assertBad(f, "3 trailing bytes", "need 10 bytes", "found 13");
    }

    @Test
    void truncatedGzipOfAValidFileIsStillCaught() throws IOException {
        Path plain = tmp.resolve("p");
        Idx.write(plain, new int[] {10, 28, 28}, ramp(10 * 28 * 28));
        byte[] gz = gzip(Files.readAllBytes(plain));
        Path cut = Files.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertBad(cut, "gzip");
    }

    @Test
    void gzipOfTruncatedIdxReportsDecompressedCounts() throws IOException {
        byte[] idx = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2};
        Path f = Files.write(tmp.resolve("labels.gz"), gzip(idx));
        assertBad(f, "truncated", "need 13 bytes", "found 10");
    }
}
