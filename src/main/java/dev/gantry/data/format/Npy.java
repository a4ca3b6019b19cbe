package dev.gantry.data.format;

import dev.gantry.BadInputException;
import dev.gantry.util.AtomicFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes NumPy {@code .npy} files holding a float32 matrix, following the format
 * specification in NumPy's {@code numpy/lib/format.py} (NEP 1), byte for byte as
 * {@code numpy.save} writes it.
 *
 * <p>A file is the magic {@code \x93NUMPY}, a major and minor version byte, the header length
 * (little-endian {@code uint16} in version 1.0, {@code uint32} in 2.0), a Python dict literal
 * with {@code descr}, {@code fortran_order} and {@code shape} padded with spaces and a newline so
 * that the data starts at a multiple of 64 bytes, then the raw data. Gantry writes version 1.0 and
 * reads 1.0 and 2.0; it handles only {@code '<f4'} (little-endian float32), C order, rank 2.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final String FLOAT32 = "<f4";

    /**
     * A row-major float32 matrix.
     *
     * @param data {@code rows * cols} values, row after row
     */
    public record Matrix(float[] data, int rows, int cols) {

        public Matrix {
            Objects.requireNonNull(data, "data");
            if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
                throw new IllegalArgumentException(
                        rows + "×" + cols + " matrix needs " + (long) rows * cols + " values, got " + data.length);
            }
        }

        /** The value at row {@code r}, column {@code c}. */
        public float get(int r, int c) {
            Objects.checkIndex(r, rows);
            Objects.checkIndex(c, cols);
            return data[r * cols + c];
        }

        @Override
        public String toString() {
            return "Matrix[" + rows + "×" + cols + "]";
        }
    }

    private Npy() {}

    /**
     * Writes a row-major float32 matrix as a version 1.0 {@code .npy} file, atomically.
     *
     * @throws IllegalArgumentException if {@code data} does not hold {@code rows * cols} values
     * @throws UncheckedIOException if writing fails
     */
    public static void writeFloat32(Path file, float[] data, int rows, int cols) {
        new Matrix(data, rows, cols); // validates the shape
        byte[] header = header(rows, cols);
        try {
            AtomicFile.write(file, out -> {
                out.write(header);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < data.length; ) {
                    int n = Math.min(buf.capacity() / Float.BYTES, data.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(data, i, n);
                    out.write(buf.array(), 0, n * Float.BYTES);
                    i += n;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a {@code .npy} file holding a little-endian float32, C-order, rank-2 array.
     *
     * @throws BadInputException naming the file if it is missing, not a {@code .npy} file, of a
     *     version other than 1.0 or 2.0, or not a C-order float32 matrix of the declared size
     */
    public static Matrix readFloat32(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(".npy file " + file + " is a directory; expected a .npy file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(".npy file " + file + " is missing");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads a matrix of images, one per row, as {@link #readFloat32} does, and checks that each
     * row has {@code expectedCols} values and every value is finite and in [0, 1].
     *
     * @throws BadInputException naming the file and, for a bad value, its row, column and value
     */
    public static Matrix readImages(Path file, int expectedCols) {
        Matrix m = readFloat32(file);
        if (m.cols() != expectedCols) {
            throw new BadInputException(".npy file " + file + " has shape (" + m.rows() + ", "
                    + m.cols() + "); expected " + expectedCols + " values per image, shape (N, "
                    + expectedCols + ")");
        }
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            float v = d[i];
            if (!(v >= 0f && v <= 1f)) { // also catches NaN
                throw new BadInputException(".npy file " + file + " has value " + v + " at index " + i
                        + " (row " + i / expectedCols + ", column " + i % expectedCols
                        + "); expected image values in [0, 1]");
            }
        }
        return m;
    }

    /** The version 1.0 header for a float32 C-order matrix, exactly as numpy writes it. */
    static byte[] header(int rows, int cols) {
        String dict = "{'descr': '" + FLOAT32 + "', 'fortran_order': False, 'shape': (" + rows + ", "
                + cols + "), }";
        int preamble = MAGIC.length + 2 + 2;
        int hlen = dict.length() + 1; // + '\n'
        // numpy pads with a full 64 bytes even when already aligned; match it byte for byte.
        int pad = ALIGN - (preamble + hlen) % ALIGN;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(preamble + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** Reads a file of {@code fileSize} bytes; the shape its header declares is checked against that size before anything is allocated. */
    private static Matrix read(Path file, InputStream in, long fileSize) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length + 2);
        if (magic.length < MAGIC.length + 2 || !Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BadInputException(".npy file " + file
                    + " does not start with the NumPy magic \\x93NUMPY; expected a .npy file");
        }
        int major = magic[6] & 0xFF;
        int minor = magic[7] & 0xFF;
        int lenBytes;
        if (major == 1 && minor == 0) {
            lenBytes = 2;
        } else if (major == 2 && minor == 0) {
            lenBytes = 4;
        } else {
            throw new BadInputException(".npy file " + file + " has format version " + major + "."
                    + minor + "; expected 1.0 or 2.0");
        }
        byte[] lenRaw = in.readNBytes(lenBytes);
        if (lenRaw.length < lenBytes) {
            throw new BadInputException(".npy file " + file + " is truncated inside its header");
        }
        long hlen = 0;
        for (int i = lenBytes - 1; i >= 0; i--) {
            hlen = hlen << 8 | (lenRaw[i] & 0xFF);
        }
        if (hlen > 1 << 20) {
            throw new BadInputException(".npy file " + file + " declares a header of " + hlen
                    + " bytes; expected a short header");
        }
        byte[] headerRaw = in.readNBytes((int) hlen);
        if (headerRaw.length < hlen) {
            throw new BadInputException(".npy file " + file + " is truncated inside its header ("
                    + headerRaw.length + " of " + hlen + " bytes)");
        }
        String text = new String(headerRaw, StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new HeaderParser(text).parse();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(".npy file " + file + " has an unparsable header ("
                    + e.getMessage() + "): " + text.strip(), e);
        }
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new BadInputException(".npy file " + file + " has header keys " + dict.keySet()
                    + "; expected descr, fortran_order, shape");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String)) {
            throw new BadInputException(".npy file " + file + " has descr " + descr
                    + "; expected a dtype string, '<f4' (float32)");
        }
        if (!FLOAT32.equals(descr)) {
            throw new BadInputException(".npy file " + file + " has dtype '" + descr
                    + "'; expected float32, '<f4' (convert with a.astype('<f4'))");
        }
        if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
            Object order = dict.get("fortran_order");
            String literal = order instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(order);
            throw new BadInputException(".npy file " + file + " has fortran_order "
                    + literal + "; expected False (C order; save np.ascontiguousarray(a))");
        }
        if (!(dict.get("shape") instanceof List<?> shape)) {
            throw new BadInputException(".npy file " + file + " has shape " + dict.get("shape")
                    + "; expected a tuple");
        }
        if (shape.size() != 2) {
            throw new BadInputException(".npy file " + file + " has rank " + shape.size()
                    + " (shape " + shapeString(shape) + "); expected a rank-2 array, shape (N, D)");
        }
        long rows = (Long) shape.get(0);
        long cols = (Long) shape.get(1);
        long count = rows * cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 8) {
            throw new BadInputException(".npy file " + file + " has shape " + shapeString(shape)
                    + "; more than 2^31 values is not supported");
        }
        long dataStart = magic.length + lenBytes + hlen;
        long dataBytes = fileSize - dataStart;
        if (dataBytes < count * Float.BYTES) {
            throw new BadInputException(String.format(
                    ".npy file %s is truncated: shape %s needs %d data bytes after the %d-byte"
                            + " header, found %d", file, shapeString(shape), count * Float.BYTES,
                    dataStart, dataBytes));
        }
        if (dataBytes > count * Float.BYTES) {
            throw new BadInputException(String.format(
                    ".npy file %s has %d trailing bytes: shape %s needs %d data bytes after the"
                            + " %d-byte header", file, dataBytes - count * Float.BYTES, shapeString(shape),
                    count * Float.BYTES, dataStart));
        }
        // The file's length matches the shape, so this allocation is no bigger than the file.
        float[] data = new float[(int) count];
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            int want = Math.min(buf.capacity() / Float.BYTES, data.length - i) * Float.BYTES;
            int got = in.readNBytes(buf.array(), 0, want);
            if (got < want) {
                throw new BadInputException(String.format(
                        ".npy file %s is truncated: shape %s needs %d data bytes after the %d-byte"
                                + " header, found %d", file, shapeString(shape), count * Float.BYTES,
                        dataStart, (long) i * Float.BYTES + got));
            }
            buf.clear();
            buf.asFloatBuffer().get(data, i, want / Float.BYTES);
            i += want / Float.BYTES;
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new BadInputException(String.format(
                    ".npy file %s has %d trailing bytes: shape %s needs %d data bytes after the"
                            + " %d-byte header", file, trailing, shapeString(shape),
                    count * Float.BYTES, dataStart));
        }
        return new Matrix(data, (int) rows, (int) cols);
    }

    private static String shapeString(List<?> shape) {
        StringBuilder sb = new StringBuilder("(");
        for (Object d : shape) {
            sb.append(d).append(", ");
        }
        if (shape.size() > 1) {
            sb.setLength(sb.length() - 2);
        } else if (shape.size() == 1) {
            sb.setLength(sb.length() - 1);
        }
        return sb.append(')').toString();
    }

    /**
     * Parses the subset of Python literal syntax that {@code .npy} headers use: a dict with string
     * keys whose values are strings, {@code True}/{@code False}, or tuples of non-negative ints.
     * Tuples become {@code List<Long>}.
     */
    private static final class HeaderParser {
        private final String s;
        private int pos;

        HeaderParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw new IllegalArgumentException("duplicate key '" + key + "'");
                }
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("',' or '}'");
                }
            }
            pos++;
            if (peek() != -1) {
                throw error("end of header");
            }
            return dict;
        }

        private Object value() {
            int c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            for (String word : new String[] {"True", "False"}) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("True");
                }
            }
            throw error("a string, tuple, True or False");
        }

        private List<Long> tuple() {
            expect('(');
            List<Long> items = new ArrayList<>();
            while (peek() != ')') {
                items.add(integer());
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("',' or ')'");
                }
            }
            pos++;
            return items;
        }

        private long integer() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && pos - start < 18) {
                pos++;
            }
            if (start == pos) {
                throw error("a non-negative integer");
            }
            return Long.parseLong(s.substring(start, pos));
        }

        private String string() {
            int quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("a quoted string");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("a closing quote");
            }
            String value = s.substring(pos + 1, end);
            pos = end + 1;
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        /** The next non-space character, or -1 at the end; does not consume it. */
        private int peek() {
            skipSpace();
            return pos < s.length() ? s.charAt(pos) : -1;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("expected " + expected + " at offset " + pos);
        }
    }
}
