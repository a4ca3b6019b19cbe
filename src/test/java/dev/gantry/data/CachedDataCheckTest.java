package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files in Gantry's cache are verified every time a dataset opens them, not only when fetched (issue #12, finding 11). */
class CachedDataCheckTest {

    /** A dataset over a cache of small fake IDX files with their true checksums. */
    static final class FakeCached extends IdxDigitsDataset {
        final Path cache;
        final Map<String, String> sha;

        FakeCached(Path cache, Map<String, String> sha) {
            this.cache = cache;
            this.sha = sha;
        }

        @Override public String name() { return "fake-cached"; }
        @Override public String description() { return "test"; }
        @Override public java.util.List<String> classNames() { return digits(); }
        @Override String displayName() { return "Fake"; }
        @Override Path cacheDir() { return cache; }
        @Override Map<String, String> sha256() { return sha; }
        @Override String download(Path dir, PrintStream log) { throw new AssertionError("nothing to download"); }
    }

    @Test
    void aFlippedByteInACachedFileIsRefusedNamingItAndHowToRepairIt(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        MnistTest.writeFake(cache, 60_000, 10);
        java.util.Map<String, String> sha = new java.util.LinkedHashMap<>();
        for (String f : new String[] {Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS}) {
            sha.put(f, FetcherTestFiles.sha256(Files.readAllBytes(cache.resolve(f))));
        }
        FakeCached ds = new FakeCached(cache, sha);
        Dataset.Request fromCache = new Dataset.Request(null, 50_000, 0, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(ds.load(Split.TEST, fromCache).n()).isEqualTo(10);

        Path images = cache.resolve(Mnist.TRAIN_IMAGES);
        byte[] b = Files.readAllBytes(images);
        b[b.length - 7] ^= 0x10;   // one pixel of the last image
        Files.write(images, b);
        assertThatThrownBy(() -> ds.load(Split.TRAIN, fromCache)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(images.toString()).hasMessageContaining("sha256")
                .hasMessageContaining("gantry data fetch fake-cached");
        // A directory the user names is the user's: read as it is, never judged against Gantry's checksums.
        Dataset.Request given = new Dataset.Request(cache, 50_000, 0, fromCache.log());
        assertThat(ds.load(Split.TRAIN, given).n()).isEqualTo(50_000);
    }
}
