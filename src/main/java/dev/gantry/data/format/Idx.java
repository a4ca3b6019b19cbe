package dev.gantry.data.format;

import dev.gantry.BadInputException;
import dev.gantry.util.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of the original MNIST distribution (LeCun, Cortes and
 * Burges, "The MNIST database of handwritten digits", http://yann.lecun.com/exdb/mnist/).
 *
 * <p>An IDX file is a 4-byte magic number (two zero bytes, a type byte, the rank), one big-endian
 * 32-bit size per dimension, then the elements in row-major order. Only the unsigned-byte type
 * ({@code 0x08}) is supported, which is all MNIST uses. A file may be gzip-compressed; that is
 * detected from its first two bytes ({@code 0x1f 0x8b}), not from its name.
 */
public final class Idx {

    /** Type byte for unsigned 8-bit elements. */
    public static final int TYPE_UBYTE = 0x08;

    /** Largest rank {@link #read} accepts; MNIST uses 1 (labels) and 3 (images). */
    public static final int MAX_RANK = 4;

    /**
     * The content of an IDX file of unsigned bytes.
     *
     * @param dims the size of each dimension, outermost first
     * @param data the elements in row-major order; treat as unsigned ({@code b & 0xFF})
     */
    public record IdxArray(int[] dims, byte[] data) {

        /** The number of dimensions. */
        public int rank() {
            return dims.length;
        }

        @Override
        public String toString() {
            return "IdxArray" + Arrays.toString(dims);
        }
    }

    private Idx() {}

    /**
     * Reads an unsigned-byte IDX file, plain or gzip-compressed.
     *
     * @throws BadInputException if the file is missing or is not a well-formed IDX file of
     *     unsigned bytes whose length matches its dimensions
     * @throws UncheckedIOException if reading fails for another reason
     */
    public static IdxArray read(Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException("IDX file " + file + " is missing");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException("IDX file " + file + " is a directory, not a regular file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("IDX file " + file + " is not a regular file");
        }
        try (InputStream in = open(file)) {
            return parse(file, in);
        } catch (NoSuchFileException e) {
            throw new BadInputException("IDX file " + file + " is missing", e);
        } catch (EOFException e) {
            // Only the gzip layer throws this (parse() counts bytes instead of hitting EOF): the
            // stream ends inside its header or before its compressed data does. Its message may be null.
            throw new BadInputException(
                    "IDX file " + file + " starts like gzip but the gzip stream ends early ("
                            + (e.getMessage() == null ? "inside its header" : e.getMessage())
                            + "): the file is truncated; expected a complete gzip-compressed IDX file", e);
        } catch (ZipException e) {
            throw new BadInputException(
                    "IDX file " + file + " starts like gzip but is not a valid gzip stream ("
                            + (e.getMessage() == null ? "corrupt data" : e.getMessage()) + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    /**
     * Writes an unsigned-byte IDX file, uncompressed and atomically.
     *
     * @throws IllegalArgumentException if the rank is not 1..{@value #MAX_RANK}, a dimension is not
     *     positive, or {@code data} does not hold exactly the product of {@code dims} elements
     */
    public static void write(Path file, int[] dims, byte[] data) {
        if (dims.length < 1 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("rank must be 1.." + MAX_RANK + ", got " + dims.length);
        }
        long count = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dims must be positive, got " + Arrays.toString(dims));
            }
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "dims " + Arrays.toString(dims) + " need " + count + " bytes, got " + data.length);
        }
        try {
            AtomicFile.write(file, raw -> {
                DataOutputStream out = new DataOutputStream(raw);
                out.writeInt(TYPE_UBYTE << 8 | dims.length); // 0x00 0x00 type rank
                for (int d : dims) {
                    out.writeInt(d);
                }
                out.write(data);
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write IDX file " + file, e);
        }
    }

    /** Opens the file, transparently decompressing it if it starts with the gzip magic. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static IdxArray parse(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length == 0) {
            throw new BadInputException(
                    "IDX file " + file + " is empty; expected a 4-byte magic number (0x00 0x00 0x08 rank)");
        }
        if (magic.length < 4) {
            throw new BadInputException("IDX file " + file + " ends after " + magic.length
                    + " bytes; expected a 4-byte magic number (0x00 0x00 0x08 rank)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new BadInputException(String.format(
                    "IDX file %s has bad magic number %s; expected it to start with 0x00 0x00",
                    file, hex(magic)));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new BadInputException(String.format(
                    "IDX file %s has element type 0x%02x; expected 0x08 (unsigned byte)", file, type));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new BadInputException(
                    "IDX file " + file + " has rank " + rank + "; expected 1.." + MAX_RANK);
        }
        int headerBytes = 4 + 4 * rank;
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new BadInputException("IDX file " + file + " is truncated: its header needs "
                    + headerBytes + " bytes for rank " + rank + ", found " + (4 + sizes.length));
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int off = 4 * i;
            dims[i] = (sizes[off] & 0xFF) << 24 | (sizes[off + 1] & 0xFF) << 16
                    | (sizes[off + 2] & 0xFF) << 8 | (sizes[off + 3] & 0xFF);
            if (dims[i] <= 0) {
                throw new BadInputException("IDX file " + file + " has dimension " + i + " of size "
                        + Integer.toUnsignedString(dims[i]) + "; expected a positive size below 2^31");
            }
            count *= dims[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new BadInputException("IDX file " + file + " declares dims "
                        + Arrays.toString(Arrays.copyOf(dims, i + 1)) + ", more than 2^31 elements");
            }
        }
        long expectedTotal = headerBytes + count;
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new BadInputException(String.format(
                    "IDX file %s is truncated: dims %s need %d bytes (%d header + %d data), found %d",
                    file, Arrays.toString(dims), expectedTotal, headerBytes, count,
                    headerBytes + data.length));
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new BadInputException(String.format(
                    "IDX file %s has %d trailing bytes: dims %s need %d bytes (%d header + %d data),"
                            + " found %d",
                    file, trailing, Arrays.toString(dims), expectedTotal, headerBytes, count,
                    expectedTotal + trailing));
        }
        return new IdxArray(dims, data);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("0x%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
