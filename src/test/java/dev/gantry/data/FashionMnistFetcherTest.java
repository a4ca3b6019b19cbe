package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import dev.gantry.data.format.Idx;
import dev.gantry.data.format.IdxTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the fetcher against a fake package source; never runs apt-get or touches the network. */
class FashionMnistFetcherTest {

    @TempDir Path tmp;
    Path dir;
    Map<String, byte[]> contents;
    Map<String, String> sha;
    AtomicInteger calls;
    ByteArrayOutputStream logBytes;
    PrintStream log;

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.resolve("cache/fashion-mnist");
        contents = FetcherTestFiles.contents(tmp);
        sha = FetcherTestFiles.sha256(contents);
        calls = new AtomicInteger();
        logBytes = new ByteArrayOutputStream();
        log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    }

    /**
     * A source that lays out an unpacked .deb like the real one: {@code files}, gzipped, under
     * usr/share/datasets/fashion-mnist/, next to a doc directory.
     */
    private FashionMnistFetcher.PackageSource deb(Map<String, byte[]> files) {
        return work -> {
            calls.incrementAndGet();
            Path data = Files.createDirectories(work.resolve("root").resolve(FashionMnistFetcher.PACKAGE_DIR));
            Files.createDirectories(work.resolve("root/usr/share/doc/dataset-fashion-mnist"));
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(data.resolve(e.getKey() + ".gz"), IdxTest.gzip(e.getValue()));
            }
            return data;
        };
    }

    private FashionMnistFetcher fetcher(Map<String, byte[]> files) {
        return new FashionMnistFetcher(sha, deb(files));
    }

    // ---- fetch ----

    @Test
    void fetchesDecompressesVerifiesAndPlacesAllFour() throws IOException {
        MnistFetcher.FetchResult r = fetcher(contents).fetch(dir, log);

        assertThat(r.downloaded()).containsExactlyElementsOf(contents.keySet());
        assertThat(r.alreadyPresent()).isEmpty();
        assertThat(FetcherTestFiles.list(dir)).containsExactlyInAnyOrderElementsOf(contents.keySet()); // plain names, no temps
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertThat(dir.resolve(e.getKey())).hasBinaryContent(e.getValue());
        }
        FashionMnistFetcher.verify(dir, sha);
        Mnist m = FashionMnistFetcher.load(dir);
        assertThat(m.trainAll().n()).isEqualTo(3);
        assertThat(m.test().labels()).containsExactly(0, 1);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("dataset-fashion-mnist");
    }

    @Test
    void secondRunFetchesNothingAndSaysSo() throws IOException {
        FashionMnistFetcher f = fetcher(contents);
        f.fetch(dir, log);
        var before = Files.readAttributes(dir.resolve(Mnist.TRAIN_IMAGES), BasicFileAttributes.class);
        logBytes.reset();

        MnistFetcher.FetchResult r = f.fetch(dir, log);

        assertThat(calls).hasValue(1);
        assertThat(r.upToDate()).isTrue();
        assertThat(r.alreadyPresent()).containsExactlyElementsOf(contents.keySet());
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("nothing to do");
        var after = Files.readAttributes(dir.resolve(Mnist.TRAIN_IMAGES), BasicFileAttributes.class);
        assertThat(after.lastModifiedTime()).isEqualTo(before.lastModifiedTime());
        if (before.fileKey() != null) {
            assertThat(after.fileKey()).isEqualTo(before.fileKey());
        }
    }

    @Test
    void fetchesOnlyWhatIsMissing() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(Mnist.TEST_LABELS), contents.get(Mnist.TEST_LABELS));
        MnistFetcher.FetchResult r = fetcher(contents).fetch(dir, log);
        assertThat(r.alreadyPresent()).containsExactly(Mnist.TEST_LABELS);
        assertThat(r.downloaded()).containsExactly(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES);
    }

    @Test
    void corruptDownloadIsRefusedAndChangesNothing() throws IOException {
        Files.createDirectories(dir);
        Path good = Files.write(dir.resolve(Mnist.TRAIN_IMAGES), contents.get(Mnist.TRAIN_IMAGES));
        Path stale = Files.write(dir.resolve(Mnist.TEST_LABELS), new byte[] {1, 2, 3});
        Map<String, byte[]> corrupt = new LinkedHashMap<>(contents);
        byte[] bad = contents.get(Mnist.TEST_IMAGES).clone();
        bad[bad.length - 1] ^= 1;
        corrupt.put(Mnist.TEST_IMAGES, bad);

        assertThatThrownBy(() -> fetcher(corrupt).fetch(dir, log))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_IMAGES, sha.get(Mnist.TEST_IMAGES),
                        FetcherTestFiles.sha256(bad), "left unchanged");
        // All or nothing: neither the good new files nor a replacement for the stale one, no temps.
        assertThat(FetcherTestFiles.list(dir)).containsExactly(Mnist.TEST_LABELS, Mnist.TRAIN_IMAGES);
        assertThat(good).hasBinaryContent(contents.get(Mnist.TRAIN_IMAGES));
        assertThat(stale).hasBinaryContent(new byte[] {1, 2, 3});

        // A good download then replaces the stale file.
        fetcher(contents).fetch(dir, log);
        assertThat(stale).hasBinaryContent(contents.get(Mnist.TEST_LABELS));
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("wrong checksum");
    }

    @Test
    void brokenGzipInThePackageIsRefused() throws IOException {
        FashionMnistFetcher.PackageSource broken = work -> {
            Path d = deb(contents).fetch(work);
            byte[] gz = Files.readAllBytes(d.resolve(Mnist.TRAIN_LABELS + ".gz"));
            Files.write(d.resolve(Mnist.TRAIN_LABELS + ".gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
            return d;
        };
        assertThatThrownBy(() -> new FashionMnistFetcher(sha, broken).fetch(dir, log))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll(Mnist.TRAIN_LABELS + ".gz", "gzip");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void packageWithoutAFileFails() {
        Map<String, byte[]> partial = new LinkedHashMap<>(contents);
        partial.remove(Mnist.TEST_IMAGES);
        assertThatThrownBy(() -> fetcher(partial).fetch(dir, log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(FashionMnistFetcher.PACKAGE_DIR + Mnist.TEST_IMAGES + ".gz");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void sourceFailureLeavesNoTraces() {
        FashionMnistFetcher.PackageSource broken = work -> {
            throw new IOException("E: Unable to locate package dataset-fashion-mnist");
        };
        assertThatThrownBy(() -> new FashionMnistFetcher(sha, broken).fetch(dir, log))
                .hasMessageContaining("Unable to locate package");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void dataDirThatIsAFileIsBadInput() throws IOException {
        Path file = Files.writeString(tmp.resolve("oops"), "x");
        assertThatThrownBy(() -> fetcher(contents).fetch(file, log))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString());
        assertThat(calls).hasValue(0);
    }

    // ---- importFrom ----

    @Test
    void importsPlainAndGzippedFiles() throws IOException {
        Path from = Files.createDirectories(tmp.resolve("mine"));
        Files.write(from.resolve(Mnist.TRAIN_IMAGES + ".gz"), IdxTest.gzip(contents.get(Mnist.TRAIN_IMAGES)));
        Files.write(from.resolve(Mnist.TRAIN_LABELS), contents.get(Mnist.TRAIN_LABELS));
        Files.write(from.resolve(Mnist.TEST_IMAGES + ".gz"), IdxTest.gzip(contents.get(Mnist.TEST_IMAGES)));
        Files.write(from.resolve(Mnist.TEST_LABELS), contents.get(Mnist.TEST_LABELS));

        MnistFetcher.FetchResult r = fetcher(contents).importFrom(from, dir, log);

        assertThat(r.downloaded()).containsExactlyElementsOf(contents.keySet());
        assertThat(calls).hasValue(0);
        assertThat(FetcherTestFiles.list(dir)).containsExactlyInAnyOrderElementsOf(contents.keySet());
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertThat(dir.resolve(e.getKey())).hasBinaryContent(e.getValue());
        }
        assertThat(FetcherTestFiles.list(from)).hasSize(4); // the user's files are untouched
        assertThat(fetcher(contents).importFrom(from, dir, log).upToDate()).isTrue();
    }

    @Test
    void importWithAMissingFileNamesItAndChangesNothing() throws IOException {
        Path from = Files.createDirectories(tmp.resolve("mine"));
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            if (!e.getKey().equals(Mnist.TEST_LABELS)) {
                Files.write(from.resolve(e.getKey()), e.getValue());
            }
        }
        assertThatThrownBy(() -> fetcher(contents).importFrom(from, dir, log))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(from.resolve(Mnist.TEST_LABELS).toString(), ".gz", "missing");
        assertThat(dir).doesNotExist();
    }

    @Test
    void importWithAWrongChecksumNamesTheFileAndBothHashes() throws IOException {
        Files.createDirectories(dir);
        Path stale = Files.write(dir.resolve(Mnist.TRAIN_LABELS), new byte[] {9});
        Path from = Files.createDirectories(tmp.resolve("mine"));
        contents.forEach((k, v) -> {
            try {
                Files.write(from.resolve(k + ".gz"), IdxTest.gzip(v));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] wrong = contents.get(Mnist.TRAIN_LABELS).clone();
        wrong[wrong.length - 1] = 7;
        Files.write(from.resolve(Mnist.TRAIN_LABELS + ".gz"), IdxTest.gzip(wrong));

        assertThatThrownBy(() -> fetcher(contents).importFrom(from, dir, log))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(from.resolve(Mnist.TRAIN_LABELS + ".gz").toString(),
                        FetcherTestFiles.sha256(wrong), sha.get(Mnist.TRAIN_LABELS), "left unchanged");
        assertThat(FetcherTestFiles.list(dir)).containsExactly(Mnist.TRAIN_LABELS);
        assertThat(stale).hasBinaryContent(new byte[] {9});
    }

    @Test
    void importFromAMissingDirectoryIsBadInput() {
        Path none = tmp.resolve("nowhere");
        assertThatThrownBy(() -> fetcher(contents).importFrom(none, dir, log))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(none.toString(), "does not exist", Mnist.TRAIN_IMAGES);
    }

    // ---- checksums, verify, default directory, loading ----

    @Test
    void realChecksumsAreTheDesignDocs() {
        assertThat(FashionMnistFetcher.SHA256).containsExactly(
                Map.entry("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                Map.entry("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                Map.entry("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                Map.entry("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));
    }

    @Test
    void verifyRejectsFilesThatAreNotTheRealOnes() throws IOException {
        fetcher(contents).fetch(dir, log);
        assertThatThrownBy(() -> FashionMnistFetcher.verify(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll("Fashion-MNIST", Mnist.TRAIN_IMAGES,
                        FashionMnistFetcher.SHA256.get(Mnist.TRAIN_IMAGES), sha.get(Mnist.TRAIN_IMAGES));
        Files.delete(dir.resolve(Mnist.TEST_LABELS));
        assertThatThrownBy(() -> FashionMnistFetcher.verify(dir, sha))
                .isInstanceOf(BadInputException.class)
                .hasMessageContainingAll(Mnist.TEST_LABELS, "missing", "gantry data fetch fashion-mnist");
    }

    @Test
    void defaultDirHonoursGantryData() {
        assertThat(FashionMnistFetcher.defaultDir("/data/g", "/home/u")).isEqualTo(Path.of("/data/g/fashion-mnist"));
        assertThat(FashionMnistFetcher.defaultDir(null, "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/gantry/fashion-mnist"));
    }

    @Test
    void loadErrorsNameFashionMnistAndTheFetchCommand() throws IOException {
        Path none = tmp.resolve("nowhere");
        assertThatThrownBy(() -> FashionMnistFetcher.load(none))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("Fashion-MNIST directory")
                .hasMessageContaining("gantry data fetch fashion-mnist");
        fetcher(contents).fetch(dir, log);
        Idx.write(dir.resolve(Mnist.TRAIN_LABELS), new int[] {3}, new byte[] {1, 2, 10});
        assertThatThrownBy(() -> FashionMnistFetcher.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("Fashion-MNIST label file")
                .hasMessageContainingAll("label 10", "0..9")
                .hasMessageNotContaining("digit");
    }

    // ---- the apt-get source, with stand-in commands (apt-get itself is never run) ----

    @Test
    void missingAptGetIsAClearError() {
        var src = new FashionMnistFetcher.AptGetDownload(List.of("gantry-test-no-such-apt-get"), List.of("dpkg-deb"));
        assertThatThrownBy(() -> src.fetch(tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("gantry-test-no-such-apt-get", "apt-get", "import");
    }

    @Test
    void failingAptGetReportsItsStderrAndExitCode() {
        var src = new FashionMnistFetcher.AptGetDownload(
                List.of("sh", "-c", "echo 'E: Unable to locate package dataset-fashion-mnist' >&2; exit 100", "sh"),
                List.of("dpkg-deb"));
        assertThatThrownBy(() -> src.fetch(tmp))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BadInputException.class)
                .hasMessageContainingAll("exit code 100", "Unable to locate package", "apt-get update");
    }

    @Test
    void aptGetThatLeavesNoDebIsAnError() {
        var src = new FashionMnistFetcher.AptGetDownload(List.of("sh", "-c", "true", "sh"), List.of("dpkg-deb"));
        assertThatThrownBy(() -> src.fetch(tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("found 0");
    }

    @Test
    void missingOrFailingDpkgDebIsAClearError() {
        List<String> aptGet = List.of("sh", "-c", "printf x > dataset-fashion-mnist_1_all.deb", "sh");
        var missing = new FashionMnistFetcher.AptGetDownload(aptGet, List.of("gantry-test-no-such-dpkg-deb"));
        assertThatThrownBy(() -> missing.fetch(Files.createTempDirectory(tmp, "w")))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("gantry-test-no-such-dpkg-deb", "dpkg-deb");
        var failing = new FashionMnistFetcher.AptGetDownload(aptGet,
                List.of("sh", "-c", "echo 'dpkg-deb: error: not a Debian format archive' >&2; exit 2", "sh"));
        assertThatThrownBy(() -> failing.fetch(Files.createTempDirectory(tmp, "w")))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("exit code 2", "not a Debian format archive");
    }

    @Test
    void unpackedPackageDirectoryIsReturned() throws IOException {
        // Stand-in dpkg-deb: `-x DEB DIR` arrive as $1 $2 $3.
        var src = new FashionMnistFetcher.AptGetDownload(
                List.of("sh", "-c", "printf x > dataset-fashion-mnist_1_all.deb", "sh"),
                List.of("sh", "-c", "mkdir -p \"$3/usr/share/datasets/fashion-mnist\"", "sh"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        assertThat(src.fetch(work)).isEqualTo(work.resolve("root/usr/share/datasets/fashion-mnist/"));

        var empty = new FashionMnistFetcher.AptGetDownload(
                List.of("sh", "-c", "printf x > dataset-fashion-mnist_1_all.deb", "sh"),
                List.of("sh", "-c", "true", "sh"));
        assertThatThrownBy(() -> empty.fetch(Files.createDirectory(tmp.resolve("work2"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(FashionMnistFetcher.PACKAGE_DIR);
    }
}
