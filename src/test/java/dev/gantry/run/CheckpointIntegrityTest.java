package dev.gantry.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.train.GanTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints under damage (issue #12): a flipped byte in any tensor entry, counters of the wrong
 * type, non-finite weights and a second save at the same step are all refused, naming what is wrong.
 */
class CheckpointIntegrityTest {

    private static final RunConfig ADAM = ConfigLoader.load("tiny", null, List.of("optim.name=adam", "optim.lr=0.001"));
    private static final ImageSet DATA = FakeImages.generate(ADAM.data().trainSize(), 7);

    @TempDir
    static Path shared;

    /** A valid checkpoint after one epoch (10 steps) of Adam: step-000000010.ckpt. */
    private static Path valid;

    @BeforeAll
    static void makeCheckpoint() throws IOException {
        try (GanTrainer t = new GanTrainer(ADAM, DATA)) {
            t.train(1);
            valid = Checkpoint.save(t.state(), shared.resolve("valid"));
        }
        assertThat(valid.getFileName().toString()).isEqualTo("step-000000010.ckpt");
    }

    private static Path copy(Path dir) throws IOException {
        return Files.copy(valid, dir.resolve(valid.getFileName()));
    }

    private static List<float[]> values(GanTrainer t) {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : t.state().tensors()) {
            out.add(a.toFloatArray());
        }
        return out;
    }

    /** Restores into a fresh trainer, and checks that a refused restore left the trainer's tensors as they were. */
    private static void restore(Path file) {
        try (GanTrainer t = new GanTrainer(ADAM, DATA)) {
            List<float[]> before = values(t);
            try {
                Checkpoint.restore(t, file);
            } catch (BadInputException e) {
                List<float[]> after = values(t);
                for (int i = 0; i < before.size(); i++) {
                    assertThat(after.get(i)).as("tensor %d untouched by a refused restore", i).containsExactly(before.get(i));
                }
                assertThat(t.step()).isZero();
                throw e;
            }
        }
    }

    private static void generator(Path file) {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.generator(file, m);
        }
    }

    private static void assertRefused(Runnable load, Path file, String... fragments) {
        assertThatThrownBy(load::run).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContainingAll(fragments);
    }

    // ---- 1. bit rot inside a tensor entry ----

    @ParameterizedTest
    @CsvSource({"g.h1.weight,0.25", "g.h1.weight,0.5", "g.h1.weight,0.75", "g.out.bias,0.5", "g.h2.weight,0.3"})
    void aFlippedByteInAGeneratorTensorIsRefusedBySampleAndResume(String tensor, double at, @TempDir Path dir) throws IOException {
        Path f = copy(dir);
        CheckpointFiles.flipByte(f, "tensors/" + tensor, at);
        assertRefused(() -> restore(f), f, "'" + tensor + "'");
        assertRefused(() -> generator(f), f, "'" + tensor + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"d.maxout1.weight", "d.out.bias", "g.h1.weight/m", "d.out.weight/v"})
    void aFlippedByteInADiscriminatorOrOptimizerTensorIsRefusedByResume(String tensor, @TempDir Path dir) throws IOException {
        Path f = copy(dir);
        CheckpointFiles.flipByte(f, "tensors/" + tensor, 0.5);
        assertRefused(() -> restore(f), f, "'" + tensor + "'");
    }

    @Test
    void everyTensorHasItsSha256InMetaJson() throws IOException {
        JsonNode meta = Checkpoint.readMeta(valid);
        assertThat(meta.path("version").asInt()).isEqualTo(2);
        Map<String, byte[]> entries = CheckpointFiles.entries(valid);
        List<String> names = new ArrayList<>();
        meta.path("tensors").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(12 * 3);
        for (String name : names) {
            assertThat(meta.path("sha256").path(name).asText()).as(name)
                    .isEqualTo(CheckpointFiles.sha256(entries.get("tensors/" + name)));
        }
    }

    @Test
    void aTensorWhoseSha256DiffersIsRefusedEvenWithAConsistentZip(@TempDir Path dir) throws IOException {
        // A rewritten entry has a valid zip CRC; only the checksum recorded at save time catches it.
        Path f = copy(dir);
        CheckpointFiles.rewrite(f, (name, bytes) -> bytes, meta -> ((ObjectNode) meta.get("sha256")).put("g.h1.bias", "00".repeat(32)));
        assertRefused(() -> restore(f), f, "'g.h1.bias'", "SHA-256");
        assertRefused(() -> generator(f), f, "'g.h1.bias'", "SHA-256");
        Path missing = copy(Files.createDirectory(dir.resolve("missing-sum")));
        CheckpointFiles.rewrite(missing, (name, bytes) -> bytes, meta -> ((ObjectNode) meta.get("sha256")).remove("g.out.weight"));
        assertRefused(() -> restore(missing), missing, "'g.out.weight'", "SHA-256");
    }

    /** A checkpoint as version 1 wrote it: no checksums. */
    private static Path version1(Path dir) throws IOException {
        Path f = copy(dir);
        CheckpointFiles.rewrite(f, (name, bytes) -> bytes, meta -> {
            meta.put("version", 1);
            meta.remove("sha256");
        });
        return f;
    }

    @Test
    void version1CheckpointsStillLoad(@TempDir Path dir) throws IOException {
        Path f = version1(dir);
        restore(f);
        generator(f);
        assertThat(Checkpoint.config(f)).isEqualTo(ADAM);
    }

    @ParameterizedTest
    @CsvSource({"g.h1.weight,0.5", "g.out.bias,0.5", "d.maxout1.weight/m,0.4"})
    void aFlippedByteInAVersion1CheckpointIsCaughtByTheZipCrc(String tensor, double at, @TempDir Path dir) throws IOException {
        Path f = version1(dir);
        CheckpointFiles.flipByte(f, "tensors/" + tensor, at);
        assertRefused(() -> restore(f), f, "'" + tensor + "'");
        if (tensor.startsWith("g.")) {
            assertRefused(() -> generator(f), f, "'" + tensor + "'");
        }
    }

    @Test
    void aDirectoryNamedLikeACheckpointIsReportedAsADirectory(@TempDir Path dir) throws IOException {
        Path d = Files.createDirectory(dir.resolve(Checkpoint.fileName(30)));
        assertThat(Checkpoint.latest(dir)).isEqualTo(d);
        assertRefused(() -> restore(d), d, "is a directory");
        assertRefused(() -> generator(d), d, "is a directory");
    }

    // ---- 2. counters ----

    private static Path withMeta(Path dir, Consumer<ObjectNode> change) throws IOException {
        Path f = copy(dir);
        CheckpointFiles.rewrite(f, (name, bytes) -> bytes, change);
        return f;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "step|\"abc\"", "step|-10", "step|10.5", "step|null", "step|\"10\"", "step|true",
            "epoch|\"1\"", "epoch|-1", "epoch|1.5", "epoch|3000000000",
            "step_in_epoch|-3", "step_in_epoch|\"0\"",
            "updates_g|\"abc\"", "updates_g|-1", "updates_d|2.5", "updates_d|[10]",
            "g_average_updates|-1", "g_average_updates|\"3\"", "g_average_updates|2.5", "g_average_updates|99999"})
    void aCounterThatIsNotANonNegativeIntegerIsRefused(String key, String json, @TempDir Path dir) throws IOException {
        JsonNode value = ConfigLoader.mapper().readTree(json);
        Path f = withMeta(dir, meta -> meta.set(key, value));
        assertRefused(() -> restore(f), f, "'" + key + "'", "non-negative integer");
        assertRefused(() -> Checkpoint.readMeta(f), f, "'" + key + "'");
        assertRefused(() -> generator(f), f, "'" + key + "'");
    }

    /** Found by ReaderFuzzTest: a shape given as an object ended in a NullPointerException (exit 1). */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "{\"0\":32,\"1\":32}", "\"32x32\"", "32", "[32.5,32]", "[\"32\",32]", "[32,null]", "[-32,-32]"})
    void aTensorShapeThatIsNotAnArrayOfNonNegativeIntegersIsRefused(String json, @TempDir Path dir) throws IOException {
        JsonNode value = ConfigLoader.mapper().readTree(json);
        Path f = withMeta(dir, meta -> ((ObjectNode) meta.get("tensors")).set("g.h2.weight", value));
        assertRefused(() -> restore(f), f, "'g.h2.weight'", "shape");
        assertRefused(() -> generator(f), f, "'g.h2.weight'", "shape");
    }

    /**
     * Found by ReaderFuzzTest: data_channels 0 or "NaN" ended in an IllegalArgumentException, and
     * data_cols 1e999 (read as 2^31 − 1) in an overflowing image size; both exit 1.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"data_channels|0", "data_channels|-1", "data_channels|\"NaN\"", "data_channels|1.5",
            "data_rows|\"28\"", "data_cols|1e999", "data_rows|2147483647", "data_cols|null"})
    void anImageShapeThatIsNotPositiveIntegersIsRefusedBySampling(String key, String json, @TempDir Path dir) throws IOException {
        JsonNode value = ConfigLoader.mapper().readTree(json);
        Path f = withMeta(dir, meta -> meta.set(key, value));
        assertRefused(() -> generator(f), f, "'" + key + "'");
    }

    @Test
    void aStepThatDiffersFromTheFileNameIsRefused(@TempDir Path dir) throws IOException {
        Path f = withMeta(dir, meta -> meta.put("step", 0));
        assertRefused(() -> restore(f), f, "'step'", "0", "file name");
        assertRefused(() -> generator(f), f, "'step'", "file name");
    }

    @Test
    void countersThatDisagreeWithEachOtherAreRefusedByResume(@TempDir Path dir) throws IOException {
        // step 10 is epoch 1, step 0 of it with 10 steps per epoch; epoch 0 step 3 is not step 10.
        Path f = withMeta(dir, meta -> {
            meta.put("epoch", 0);
            meta.put("step_in_epoch", 3);
        });
        assertRefused(() -> restore(f), f, "step_in_epoch");
    }

    // ---- 5. non-finite parameters ----

    @ParameterizedTest
    @CsvSource({"g.h1.weight,17,NaN", "g.out.bias,0,Infinity", "d.maxout1.weight,5,-Infinity", "d.out.bias/v,0,NaN"})
    void nonFiniteValuesAreRefusedAtLoadNamingTheTensor(String tensor, int index, float value, @TempDir Path dir) throws IOException {
        Path f = copy(dir);
        CheckpointFiles.setFloat(f, tensor, index, value);
        assertRefused(() -> restore(f), f, "'" + tensor + "'", "non-finite");
        if (tensor.startsWith("g.")) {
            assertRefused(() -> generator(f), f, "'" + tensor + "'", "non-finite");
        }
    }

    // ---- a checkpoint is never overwritten ----

    @Test
    void aSecondSaveAtTheSameStepNeverReplacesTheFile(@TempDir Path dir) throws IOException {
        Path first = copy(dir);
        byte[] before = Files.readAllBytes(first);
        // The same state again (as when a resumed run is stopped before its first step): kept as it is.
        try (GanTrainer t = new GanTrainer(ADAM, DATA)) {
            Checkpoint.restore(t, first);
            assertThat(Checkpoint.save(t.state(), dir)).isEqualTo(first);
        }
        assertThat(Files.readAllBytes(first)).isEqualTo(before);
        // A different state at the same step (another seed): refused, the file unchanged, no temporary left.
        RunConfig other = ConfigLoader.with(ADAM, "seed=99");
        try (GanTrainer t = new GanTrainer(other, DATA)) {
            t.train(1);
            assertThat(t.step()).isEqualTo(10);
            assertThatThrownBy(() -> Checkpoint.save(t.state(), dir)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining(first.toString()).hasMessageContaining("never overwritten");
        }
        assertThat(Files.readAllBytes(first)).isEqualTo(before);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(first.getFileName().toString());
        }
    }
}
