package dev.gantry.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the fetcher tests ({@link MnistFetcherTest}, {@link FashionMnistFetcherTest}) serve from
 * their fake sources: a tiny MNIST of four IDX files (3 training and 2 test images, as {@link
 * MnistTest#writeFake}), their checksums, and a listing of a cache directory.
 */
final class FetcherTestFiles {

    private FetcherTestFiles() {}

    /** The four files' bytes by IDX name, in fetch order; written in a scratch directory below {@code tmp}. */
    static Map<String, byte[]> contents(Path tmp) throws IOException {
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        MnistTest.writeFake(scratch, 3, 2);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS)) {
            contents.put(name, Files.readAllBytes(scratch.resolve(name)));
        }
        return contents;
    }

    /** The lowercase hex SHA-256 of each file, in the same order. */
    static Map<String, String> sha256(Map<String, byte[]> contents) {
        Map<String, String> sha = new LinkedHashMap<>();
        contents.forEach((k, v) -> sha.put(k, sha256(v)));
        return sha;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The names of the entries of {@code dir}, sorted. */
    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
