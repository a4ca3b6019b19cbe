package dev.gantry.data;

import dev.gantry.BadInputException;
import dev.gantry.util.AtomicFile;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** The SHA-256 of each original (decompressed) IDX file, in fetch order. */
    public static final Map<String, String> SHA256 = orderedMap(
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

    private final Map<String, String> expectedSha256;
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
        Map<String, String> m = new LinkedHashMap<>();
        expectedSha256.forEach((name, hash) -> m.put(name, hash.toLowerCase(Locale.ROOT)));
        this.expectedSha256 = Collections.unmodifiableMap(m);
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
        if (gantryData != null && !gantryData.isBlank()) {
            return Path.of(gantryData).resolve("fashion-mnist");
        }
        return Path.of(userHome, ".cache", "gantry", "fashion-mnist");
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
        List<String> present = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        survey(dir, log, present, needed);
        if (needed.isEmpty()) {
            return upToDate(dir, log, present);
        }

        log.println("fashion-mnist: fetching " + String.join(", ", needed) + " into " + dir
                + " from the Debian package " + PACKAGE);
        Path work = Files.createTempDirectory("gantry-fashion-mnist-");
        Map<String, Path> temps = new LinkedHashMap<>();
        try {
            Path unpacked = source.fetch(work);
            List<String> problems = new ArrayList<>();
            for (String name : needed) {
                Path gz = unpacked.resolve(name + ".gz");
                if (!Files.isRegularFile(gz)) {
                    problems.add("the package has no " + PACKAGE_DIR + name + ".gz (looked for " + gz + ")");
                    continue;
                }
                Path tmp = AtomicFile.createTemp(dir.resolve(name));
                temps.put(name, tmp);
                String got;
                try {
                    got = copyDecompressed(gz, tmp);
                } catch (ZipException | EOFException e) {
                    problems.add(gz.getFileName() + " in the package is not a valid gzip stream ("
                            + e.getMessage() + ")");
                    continue;
                }
                if (!got.equals(expectedSha256.get(name))) {
                    problems.add("downloaded " + name + " has sha256 " + got + "; expected "
                            + expectedSha256.get(name));
                }
            }
            if (!problems.isEmpty()) {
                throw new IOException("fashion-mnist: fetch from the Debian package " + PACKAGE
                        + " failed, " + dir + " left unchanged: " + String.join("; ", problems));
            }
            place(dir, needed, temps, log);
        } finally {
            for (Path tmp : temps.values()) {
                Files.deleteIfExists(tmp);
            }
            deleteRecursively(work);
        }
        return new MnistFetcher.FetchResult(dir, needed, present);
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
                    + "; expected a directory holding " + String.join(", ", expectedSha256.keySet())
                    + " (each plain or .gz)");
        }
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String name : expectedSha256.keySet()) {
            Path plain = fromDir.resolve(name);
            Path gz = fromDir.resolve(name + ".gz");
            if (Files.isRegularFile(plain)) {
                sources.put(name, plain);
            } else if (Files.isRegularFile(gz)) {
                sources.put(name, gz);
            } else {
                throw new BadInputException(DATASET_NAME + " file " + plain + " (or " + gz.getFileName()
                        + ") is missing; expected all of " + String.join(", ", expectedSha256.keySet())
                        + " in " + fromDir + " (each plain or .gz)");
            }
        }
        List<String> present = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        survey(cacheDir, log, present, needed);
        if (needed.isEmpty()) {
            return upToDate(cacheDir, log, present);
        }

        log.println("fashion-mnist: importing " + String.join(", ", needed) + " from " + fromDir
                + " into " + cacheDir);
        Map<String, Path> temps = new LinkedHashMap<>();
        try {
            List<String> problems = new ArrayList<>();
            for (String name : needed) {
                Path src = sources.get(name);
                Path tmp = AtomicFile.createTemp(cacheDir.resolve(name));
                temps.put(name, tmp);
                String got;
                try {
                    got = copyDecompressed(src, tmp);
                } catch (ZipException | EOFException e) {
                    problems.add(src + " starts like gzip but is not a valid gzip stream ("
                            + e.getMessage() + ")");
                    continue;
                }
                if (!got.equals(expectedSha256.get(name))) {
                    problems.add(src + " has sha256 " + got
                            + (src.getFileName().toString().endsWith(".gz") ? " (decompressed)" : "")
                            + "; expected " + expectedSha256.get(name) + " (the original " + name + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new BadInputException(DATASET_NAME + " import from " + fromDir + " refused, "
                        + cacheDir + " left unchanged: " + String.join("; ", problems));
            }
            place(cacheDir, needed, temps, log);
        } finally {
            for (Path tmp : temps.values()) {
                Files.deleteIfExists(tmp);
            }
        }
        return new MnistFetcher.FetchResult(cacheDir, needed, present);
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
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(DATASET_NAME + " file " + file + " is missing; " + HINT);
            }
            String actual;
            try {
                actual = MnistFetcher.sha256(file);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            if (!actual.equals(e.getValue())) {
                throw new BadInputException(DATASET_NAME + " file " + file + " has sha256 " + actual
                        + "; expected " + e.getValue());
            }
        }
    }

    /** Sorts the expected files into those present and verified in {@code dir} and those needed. */
    private void survey(Path dir, PrintStream log, List<String> present, List<String> needed)
            throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(DATASET_NAME + " data directory " + dir
                    + " is a file; expected a directory (check GANTRY_DATA)");
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : expectedSha256.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (Files.isRegularFile(file) && MnistFetcher.sha256(file).equals(e.getValue())) {
                present.add(e.getKey());
            } else {
                if (Files.exists(file)) {
                    log.println("fashion-mnist: " + file + " has the wrong checksum; replacing it"
                            + " once a verified copy is ready");
                }
                needed.add(e.getKey());
            }
        }
    }

    private static MnistFetcher.FetchResult upToDate(Path dir, PrintStream log, List<String> present) {
        log.println("fashion-mnist: all " + present.size() + " files present and verified in " + dir
                + "; nothing to do");
        return new MnistFetcher.FetchResult(dir, List.of(), present);
    }

    /** Renames the verified temporary files into place. */
    private void place(Path dir, List<String> names, Map<String, Path> temps, PrintStream log)
            throws IOException {
        for (String name : names) {
            AtomicFile.moveIntoPlace(temps.get(name), dir.resolve(name));
            log.println("fashion-mnist: " + name + " verified (sha256 " + expectedSha256.get(name) + ")");
        }
    }

    /**
     * Copies {@code src} into {@code tmp}, decompressing it if it starts with the gzip magic, forces
     * it to disk, and returns the lowercase hex SHA-256 of what was written.
     */
    private static String copyDecompressed(Path src, Path tmp) throws IOException {
        MessageDigest md = sha256();
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
     * Obtains the package by running {@code apt-get download dataset-fashion-mnist} in {@code
     * workDir/download} (so apt's own sources, proxy and cache apply; no root needed), then {@code
     * dpkg-deb -x PACKAGE.deb workDir/root}, and returns {@code workDir/root/}{@value #PACKAGE_DIR}.
     */
    public static final class AptGetDownload implements PackageSource {

        private static final long TIMEOUT_MINUTES = 10;

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
            String shown = String.join(" ", command);
            Path stdout = Files.createTempFile("gantry-" + tool + "-", ".out");
            Path stderr = Files.createTempFile("gantry-" + tool + "-", ".err");
            try {
                Process p;
                try {
                    p = new ProcessBuilder(command).directory(dir.toFile())
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
                    p.getOutputStream().close();
                } catch (IOException e) {
                    throw new IOException("cannot run `" + shown + "` (" + e.getMessage() + "); "
                            + tool + " is needed to fetch " + DATASET_NAME + " (on Debian or Ubuntu,"
                            + " package " + (tool.equals("apt-get") ? "apt" : "dpkg") + "), or import"
                            + " the four IDX files you already have", e);
                }
                boolean done;
                try {
                    done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running `" + shown + "`", e);
                }
                if (!done) {
                    p.destroyForcibly();
                    throw new IOException("`" + shown + "` did not finish in " + TIMEOUT_MINUTES + " minutes");
                }
                String err = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).strip();
                if (p.exitValue() != 0) {
                    throw new IOException("`" + shown + "` failed with exit code " + p.exitValue()
                            + (err.isEmpty() ? "" : ": " + err) + onFailure);
                }
                return err;
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        }
    }
}
