package dev.gantry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Test helpers that damage checkpoint files the way bit rot or a careless edit would: a byte
 * flipped inside one entry's stored data, or entries rewritten (optionally keeping the per-tensor
 * checksums consistent, so that a test reaches the check after the checksum).
 */
public final class CheckpointFiles {

    private CheckpointFiles() {}

    /**
     * The offset in the file of the first byte of {@code entryName}'s data (compressed or not),
     * found through its local file header; and its compressed size, from the central directory.
     */
    public static long[] dataRange(Path zip, String entryName) throws IOException {
        byte[] file = Files.readAllBytes(zip);
        long compressed;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry(entryName);
            if (e == null) {
                throw new IllegalArgumentException(zip + " has no entry " + entryName);
            }
            compressed = e.getCompressedSize();
        }
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int pos = 0; pos + 30 + name.length <= file.length; pos++) {
            if (b.getInt(pos) == 0x04034b50 && (b.getShort(pos + 26) & 0xFFFF) == name.length
                    && java.util.Arrays.equals(file, pos + 30, pos + 30 + name.length, name, 0, name.length)) {
                int extra = b.getShort(pos + 28) & 0xFFFF;
                return new long[] {pos + 30L + name.length + extra, compressed};
            }
        }
        throw new IllegalArgumentException("no local header for " + entryName + " in " + zip);
    }

    /** Flips (xor 0xFF) the byte at {@code fraction} of the way into {@code entryName}'s stored data. */
    public static void flipByte(Path zip, String entryName, double fraction) throws IOException {
        long[] range = dataRange(zip, entryName);
        long at = range[0] + Math.min(range[1] - 1, (long) (range[1] * fraction));
        byte[] file = Files.readAllBytes(zip);
        file[(int) at] ^= (byte) 0xFF;
        Files.write(zip, file);
    }

    /** Entry name to bytes, in file order. */
    public static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = z.getInputStream(entry)) {
                    all.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return all;
    }

    /**
     * Rewrites {@code zip} in place: each entry passes through {@code edit} (which may return the
     * bytes unchanged), then meta.json through {@code meta}; if meta.json has a {@code sha256}
     * index, it is recomputed from the edited tensor entries so that the checksums stay consistent.
     */
    public static void rewrite(Path zip, BiFunction<String, byte[], byte[]> edit, Consumer<ObjectNode> meta) throws IOException {
        Map<String, byte[]> all = entries(zip);
        all.replaceAll(edit::apply);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode m = (ObjectNode) mapper.readTree(all.get("meta.json"));
        if (m.get("sha256") instanceof ObjectNode sums) {
            java.util.List<String> names = new java.util.ArrayList<>();
            sums.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                byte[] bytes = all.get("tensors/" + n);
                if (bytes != null) {
                    sums.put(n, sha256(bytes));
                }
            }
        }
        meta.accept(m);
        all.put("meta.json", mapper.writeValueAsBytes(m));
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /** Sets float {@code index} of tensor entry {@code tensor} to {@code value}, keeping checksums consistent. */
    public static void setFloat(Path zip, String tensor, int index, float value) throws IOException {
        rewrite(zip, (name, bytes) -> {
            if (name.equals("tensors/" + tensor)) {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(index * 4, value);
            }
            return bytes;
        }, meta -> {});
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
