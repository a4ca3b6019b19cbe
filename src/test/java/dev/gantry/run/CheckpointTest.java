package dev.gantry.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.StepStats;
import dev.gantry.train.TrainingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: an exact round trip, malformed files rejected with the file's name, listing and pruning. */
class CheckpointTest {

    private static final RunConfig ADAM = ConfigLoader.load("tiny", null, List.of("optim.name=adam", "optim.lr=0.001"));
    private static final ImageSet DATA = FakeImages.generate(ADAM.data().trainSize(), 7);

    @TempDir
    static Path shared;

    /** A valid checkpoint after one epoch of Adam (non-zero moments), made once for the malformed-file tests. */
    private static Path valid;

    @BeforeAll
    static void makeCheckpoint() throws IOException {
        try (GanTrainer t = new GanTrainer(ADAM, DATA)) {
            t.train(1);
            valid = Checkpoint.save(t.state(), shared.resolve("valid"));
        }
    }

    private static List<float[]> values(GanTrainer t) {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : t.state().tensors()) {
            out.add(a.toFloatArray());
        }
        return out;
    }

    @Test
    void saveThenRestoreIntoAFreshTrainerIsExact(@TempDir Path dir) throws IOException {
        for (String optim : List.of("sgd", "adam")) {
            RunConfig config = ConfigLoader.load("tiny", null, List.of("optim.name=" + optim, "optim.lr=0.01"));
            List<float[]> saved;
            Path file;
            long step;
            int epoch;
            try (GanTrainer t = new GanTrainer(config, DATA)) {
                t.addListener(new TrainingListener() {
                    @Override
                    public void onStep(dev.gantry.train.TrainingView trainer, StepStats stats) {
                        if (trainer.step() == 13) {   // mid-epoch, so that step_in_epoch is not 0
                            trainer.requestStop();
                        }
                    }
                });
                assertThat(t.train(5)).isEqualTo(GanTrainer.Outcome.INTERRUPTED);
                saved = values(t);
                step = t.step();
                epoch = t.epoch();
                file = Checkpoint.save(t.state(), dir.resolve(optim));
                assertThat(t.optimizerG().updates()).isEqualTo(13);
            }
            assertThat(file.getFileName().toString()).isEqualTo("step-000000013.ckpt");
            assertThat(Checkpoint.config(file)).isEqualTo(config);
            try (GanTrainer fresh = new GanTrainer(Checkpoint.config(file), DATA)) {
                List<float[]> before = values(fresh);
                // The optimizer state differs before the restore (zeros vs. trained), so the check is not vacuous.
                int differing = 0;
                for (int i = 0; i < saved.size(); i++) {
                    if (!Arrays.equals(before.get(i), saved.get(i))) {
                        differing++;
                    }
                }
                assertThat(differing).isEqualTo(saved.size());

                Checkpoint.restore(fresh, file);
                List<float[]> after = values(fresh);
                assertThat(after).hasSameSizeAs(saved);
                for (int i = 0; i < saved.size(); i++) {
                    assertThat(after.get(i)).as("%s tensor %s", optim, fresh.state().tensors().get(i).getName())
                            .containsExactly(saved.get(i));
                }
                assertThat(fresh.step()).isEqualTo(step);
                assertThat(fresh.epoch()).isEqualTo(epoch);
                assertThat(fresh.stepInEpoch()).isEqualTo(13 - epoch * fresh.stepsPerEpoch()).isPositive();
                assertThat(fresh.optimizerG().updates()).isEqualTo(13);
                assertThat(fresh.optimizerD().updates()).isEqualTo(13);
            }
        }
    }

    @Test
    void theTensorIndexNamesEveryParameterAndStateArrayOnce() throws IOException {
        try (ZipFile zip = new ZipFile(valid.toFile())) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                names.add(e.nextElement().getName());
            }
            assertThat(names).first().isEqualTo("meta.json");
            assertThat(names).doesNotHaveDuplicates().contains("tensors/g.h1.weight", "tensors/d.out.bias",
                    "tensors/g.h1.weight/m", "tensors/d.out.bias/v");
            // 6 G params + 6 D params, each with Adam's m and v.
            assertThat(names).hasSize(1 + 12 * 3);
        }
    }

    // ---- malformed files ----

    /** Copies {@code src} to {@code dst}, passing each entry through {@code edit} (null drops it). */
    private static Path rewrite(Path src, Path dst, BiFunction<String, byte[], byte[]> edit) throws IOException {
        try (ZipFile in = new ZipFile(src.toFile()); OutputStream os = Files.newOutputStream(dst);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream is = in.getInputStream(entry)) {
                    bytes = is.readAllBytes();
                }
                byte[] edited = edit.apply(entry.getName(), bytes);
                if (edited != null) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(edited);
                    out.closeEntry();
                }
            }
        }
        return dst;
    }

    private static byte[] editMeta(byte[] json, java.util.function.Consumer<ObjectNode> change) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode meta = (ObjectNode) mapper.readTree(json);
            change.accept(meta);
            return mapper.writeValueAsBytes(meta);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Restores {@code file} into a fresh trainer: the way a bad checkpoint is met in practice. */
    private static void restore(Path file) {
        try (GanTrainer t = new GanTrainer(ADAM, DATA)) {
            Checkpoint.restore(t, file);
        }
    }

    private static void assertRejected(Path file, String detail) {
        assertThatThrownBy(() -> restore(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(detail);
    }

    @Test
    void theUnmodifiedCopyIsAccepted(@TempDir Path dir) throws IOException {
        // The rewriting itself keeps a checkpoint valid, so each rejection below is due to its one change.
        Path copy = rewrite(valid, dir.resolve("step-000000010.ckpt"), (name, bytes) -> bytes);
        restore(copy);
        assertThat(Checkpoint.readMeta(copy).path("step").asLong()).isEqualTo(10);
    }

    @Test
    void otherFormatIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("format.ckpt"), (name, bytes) ->
                name.equals("meta.json") ? editMeta(bytes, meta -> meta.put("format", "torch-state-dict")) : bytes);
        assertRejected(f, "torch-state-dict");
        assertThatThrownBy(() -> Checkpoint.config(f)).isInstanceOf(BadInputException.class).hasMessageContaining(f.toString());
    }

    @Test
    void otherVersionIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("version.ckpt"), (name, bytes) ->
                name.equals("meta.json") ? editMeta(bytes, meta -> meta.put("version", Checkpoint.VERSION + 1)) : bytes);
        assertRejected(f, "version " + (Checkpoint.VERSION + 1));
    }

    @Test
    void missingMetaKeyIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("nostep.ckpt"), (name, bytes) ->
                name.equals("meta.json") ? editMeta(bytes, meta -> meta.remove("updates_d")) : bytes);
        assertRejected(f, "updates_d");
    }

    @Test
    void missingMetaJsonIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("nometa.ckpt"), (name, bytes) -> name.equals("meta.json") ? null : bytes);
        assertRejected(f, "meta.json");
    }

    @Test
    void missingTensorEntryIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("notensor.ckpt"), (name, bytes) ->
                name.equals("tensors/d.maxout2.weight/v") ? null : bytes);
        assertRejected(f, "d.maxout2.weight/v");
    }

    @Test
    void tensorOfTheWrongByteLengthIsRejected(@TempDir Path dir) throws IOException {
        Path shorter = rewrite(valid, dir.resolve("short.ckpt"), (name, bytes) ->
                name.equals("tensors/g.h2.weight") ? Arrays.copyOf(bytes, bytes.length - 4) : bytes);
        assertRejected(shorter, "g.h2.weight");
        Path longer = rewrite(valid, dir.resolve("long.ckpt"), (name, bytes) ->
                name.equals("tensors/g.h2.bias") ? Arrays.copyOf(bytes, bytes.length + 4) : bytes);
        assertRejected(longer, "g.h2.bias");
    }

    @Test
    void tensorOfTheWrongShapeIsRejected(@TempDir Path dir) throws IOException {
        Path f = rewrite(valid, dir.resolve("shape.ckpt"), (name, bytes) -> name.equals("meta.json")
                ? editMeta(bytes, meta -> ((ObjectNode) meta.get("tensors")).putArray("g.out.bias").add(3).add(5))
                : bytes);
        assertRejected(f, "g.out.bias");
    }

    @Test
    void notAZipFileIsRejected(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("step-000000001.ckpt"), "{\"format\": \"gantry-checkpoint\"}\n");
        assertRejected(f, "zip");
        assertThatThrownBy(() -> Checkpoint.readMeta(f)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) throws IOException {
        Path f = Files.createFile(dir.resolve("step-000000002.ckpt"));
        assertRejected(f, "zip");
        assertThatThrownBy(() -> Checkpoint.config(f)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void missingFileIsRejected(@TempDir Path dir) {
        Path f = dir.resolve("step-000000003.ckpt");
        assertRejected(f, "does not exist");
    }

    // ---- listing and pruning ----

    private static void touch(Path dir, String... names) throws IOException {
        for (String n : names) {
            Files.writeString(dir.resolve(n), "x");
        }
    }

    @Test
    void listOrdersByStepNumberNotByName(@TempDir Path dir) throws IOException {
        // As strings: step-10 < step-100 < step-9 < step-999999999; as numbers: 9 < 10 < 100 < 999999999 < 1000000000.
        touch(dir, "step-10.ckpt", "step-100.ckpt", "step-9.ckpt", "step-999999999.ckpt",
                Checkpoint.fileName(1_000_000_000L),
                // Not checkpoints: a temporary file of an interrupted save, and others.
                ".step-000000005.ckpt.tmp", "notes.txt", "step-7.ckpt.bak");
        assertThat(Checkpoint.fileName(1_000_000_000L)).isEqualTo("step-1000000000.ckpt");
        assertThat(Checkpoint.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("step-9.ckpt", "step-10.ckpt", "step-100.ckpt", "step-999999999.ckpt",
                        "step-1000000000.ckpt");
        assertThat(Checkpoint.latest(dir).getFileName().toString()).isEqualTo("step-1000000000.ckpt");
        assertThat(Checkpoint.list(dir.resolve("absent"))).isEmpty();
        assertThatThrownBy(() -> Checkpoint.latest(dir.resolve("absent"))).isInstanceOf(BadInputException.class);
    }

    @Test
    void pruneKeepsTheNewestK(@TempDir Path dir) throws IOException {
        touch(dir, Checkpoint.fileName(5), Checkpoint.fileName(50), Checkpoint.fileName(20), "step-100.ckpt",
                "step-7.ckpt", "notes.txt");
        Checkpoint.prune(dir, 2, step -> false);
        assertThat(Checkpoint.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly(Checkpoint.fileName(50), "step-100.ckpt");
        assertThat(dir.resolve("notes.txt")).exists();
        // Keeping more than there are deletes nothing.
        Checkpoint.prune(dir, 10, step -> false);
        assertThat(Checkpoint.list(dir)).hasSize(2);
        Checkpoint.prune(dir, 1, step -> false);
        assertThat(Checkpoint.list(dir)).extracting(p -> p.getFileName().toString()).containsExactly("step-100.ckpt");
    }

    @Test
    void pruneSparesPermanentCheckpoints(@TempDir Path dir) throws IOException {
        touch(dir, Checkpoint.fileName(10), Checkpoint.fileName(20), Checkpoint.fileName(30), Checkpoint.fileName(40));
        Checkpoint.prune(dir, 1, step -> step % 20 == 0);
        assertThat(Checkpoint.list(dir)).extracting(Checkpoint::step).containsExactly(20L, 40L);
    }

    @Test
    void atStepFindsTheFileOrNamesWhatThereIs(@TempDir Path dir) throws IOException {
        touch(dir, Checkpoint.fileName(40));
        assertThat(Checkpoint.atStep(dir, 40)).isEqualTo(dir.resolve("step-000000040.ckpt"));
        assertThatThrownBy(() -> Checkpoint.atStep(dir, 41)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("step-000000040.ckpt");
    }
}
