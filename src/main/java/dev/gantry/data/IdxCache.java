package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.util.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local cache of checksummed IDX files that {@link MnistFetcher} and {@link
 * FashionMnistFetcher} share: which files are present and verified, and the all-or-nothing
 * install of new ones (temporary files in the cache directory, renamed into place only once every
 * one is verified, deleted whatever happens).
 *
 * <p>Messages name the dataset ({@code "MNIST"}, in exceptions) and start log lines with a tag
 * ({@code "mnist"}), so each fetcher keeps its own wording.
 */
final class IdxCache {

    /** What a survey found: the files present and verified, and those still needed, in fetch order. */
    record Survey(List<String> present, List<String> needed) {}

    /** Writes every needed file to a temporary file of {@code staging}, verified, or throws. */
    @FunctionalInterface
    interface Stager {
        void stage(Staging staging) throws IOException;
    }

    /**
     * Temporary files beside their targets in the cache directory, one per file name; {@link
     * IdxCache#install} renames them into place and deletes any left over.
     */
    static final class Staging {
        private final Path dir;
        private final Map<String, Path> temps = new LinkedHashMap<>();

        private Staging(Path dir) {
            this.dir = dir;
        }

        /** A new empty temporary file for {@code name} in the cache directory, recorded for clean-up. */
        Path create(String name) throws IOException {
            Path tmp = AtomicFile.createTemp(dir.resolve(name));
            temps.put(name, tmp);
            return tmp;
        }

        /** Whether a temporary file has been created for {@code name}. */
        boolean has(String name) {
            return temps.containsKey(name);
        }
    }

    private final String dataset;
    private final String tag;
    private final Map<String, String> expectedSha256;

    /**
     * @param dataset the dataset's name in exception messages, e.g. {@code "MNIST"}
     * @param tag the start of every log line, e.g. {@code "mnist"}
     * @param expectedSha256 file name to hex SHA-256 (either case); the files, in order
     */
    IdxCache(String dataset, String tag, Map<String, String> expectedSha256) {
        Map<String, String> m = new LinkedHashMap<>();
        expectedSha256.forEach((name, hash) -> m.put(name, hash.toLowerCase(Locale.ROOT)));
        this.expectedSha256 = Collections.unmodifiableMap(m);
        this.dataset = dataset;
        this.tag = tag;
    }

    /** The expected files, name to lowercase hex SHA-256, in order. */
    Map<String, String> expected() {
        return expectedSha256;
    }

    /** The lowercase hex SHA-256 expected for {@code name}. */
    String expected(String name) {
        return expectedSha256.get(name);
    }

    /**
     * Creates {@code dir} if needed and sorts the expected files into those present there with the
     * right checksum and those needed, logging each file that exists with the wrong checksum.
     *
     * @param onWrongChecksum what the log line says is done about such a file
     * @throws BadInputException if {@code dir} is a file
     */
    Survey survey(Path dir, PrintStream log, String onWrongChecksum) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(dataset + " data directory " + dir
                    + " is a file; expected a directory (check GANTRY_DATA)");
        }
        Files.createDirectories(dir);
        List<String> present = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        for (Map.Entry<String, String> e : expectedSha256.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (Files.isRegularFile(file) && sha256(file).equals(e.getValue())) {
                present.add(e.getKey());
            } else {
                if (Files.exists(file)) {
                    log.println(tag + ": " + file + " has the wrong checksum; " + onWrongChecksum);
                }
                needed.add(e.getKey());
            }
        }
        return new Survey(present, needed);
    }

    /** The result, logged, of a fetch that found every file present. */
    MnistFetcher.FetchResult upToDate(Path dir, PrintStream log, Survey survey) {
        log.println(tag + ": all " + survey.present().size() + " files present and verified in " + dir
                + "; nothing to do");
        return new MnistFetcher.FetchResult(dir, List.of(), survey.present());
    }

    /**
     * Has {@code stager} write every needed file to a temporary file in {@code dir}, then renames
     * them into place, logging each; the temporary files are deleted whatever happens, so if the
     * stager throws, nothing in {@code dir} is changed.
     */
    MnistFetcher.FetchResult install(Path dir, Survey survey, PrintStream log, Stager stager) throws IOException {
        Staging staging = new Staging(dir);
        try {
            stager.stage(staging);
            for (String name : survey.needed()) {
                AtomicFile.moveIntoPlace(staging.temps.get(name), dir.resolve(name));
                log.println(tag + ": " + name + " verified (sha256 " + expected(name) + ")");
            }
        } finally {
            for (Path tmp : staging.temps.values()) {
                Files.deleteIfExists(tmp);
            }
        }
        return new MnistFetcher.FetchResult(dir, survey.needed(), survey.present());
    }

    /** Adds "downloaded NAME has sha256 GOT; expected …" to {@code problems} unless GOT is expected. */
    void checkDownloaded(String name, String got, List<String> problems) {
        if (!got.equals(expected(name))) {
            problems.add("downloaded " + name + " has sha256 " + got + "; expected " + expected(name));
        }
    }

    /**
     * Throws, unless {@code problems} is empty, the IOException of a failed fetch: "TAG: fetch from
     * SOURCE failed, DIR left unchanged: " and the problems.
     */
    void failOnProblems(String source, Path dir, List<String> problems) throws IOException {
        if (!problems.isEmpty()) {
            throw new IOException(tag + ": fetch from " + source + " failed, " + dir + " left unchanged: "
                    + String.join("; ", problems));
        }
    }

    /**
     * Checks that {@code dir} holds every file of {@code expected} with its checksum.
     *
     * @param hint what to do about a missing file, e.g. "run `gantry data fetch mnist` …"
     * @throws BadInputException naming the first file that is missing or has the wrong checksum,
     *     with the expected and actual hash
     */
    static void verify(Path dir, Map<String, String> expected, String dataset, String hint) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(dataset + " file " + file + " is missing; " + hint);
            }
            String actual;
            try {
                actual = sha256(file);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            if (!actual.equals(e.getValue())) {
                throw new BadInputException(dataset + " file " + file + " has sha256 " + actual
                        + "; expected " + e.getValue() + "; " + hint);
            }
        }
    }

    /**
     * {@code $GANTRY_DATA/NAME} if {@code gantryData} is set (not blank), else {@code
     * ~/.cache/gantry/NAME}.
     */
    static Path defaultDir(String gantryData, String userHome, String name) {
        if (gantryData != null && !gantryData.isBlank()) {
            return Path.of(gantryData).resolve(name);
        }
        return Path.of(userHome, ".cache", "gantry", name);
    }

    /** The lowercase hex SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** An unmodifiable map of the pairs key, value, key, value, … in order. */
    static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
