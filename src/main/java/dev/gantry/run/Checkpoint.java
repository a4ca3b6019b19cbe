package dev.gantry.run;

import dev.gantry.train.GanTrainer;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import ai.djl.ndarray.NDManager;
import dev.gantry.data.ImageShape;
import dev.gantry.models.Generator;
import dev.gantry.models.Models;
import dev.gantry.nn.Param;
import dev.gantry.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: a zip file holding {@code meta.json} (counters, seed, the config that made
 * it, the index of tensors) and one little-endian float32 entry per tensor — G's and D's parameters
 * and both optimizers' state. Written to a temporary file and moved into place, so a crash never
 * leaves a half-written checkpoint under a checkpoint's name.
 */
public final class Checkpoint {

    public static final String FORMAT = "gantry-checkpoint";
    public static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.ckpt");

    private Checkpoint() {}

    /** The file name of the checkpoint at {@code step}. */
    public static String fileName(long step) {
        return String.format("step-%09d.ckpt", step);
    }

    /** Writes a training state into {@code dir}, atomically; returns the file. */
    public static Path save(TrainingState t, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(t.step()));
        ObjectMapper mapper = ConfigLoader.mapper();
        List<NDArray> tensors = t.tensors();
        ObjectNode meta = mapper.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("step", t.step());
        meta.put("epoch", t.epoch());
        meta.put("step_in_epoch", t.stepInEpoch());
        meta.put("updates_g", t.updatesG());
        meta.put("updates_d", t.updatesD());
        meta.put("seed", t.config().seed());
        meta.put("data_channels", t.dataShape().channels());
        meta.put("data_rows", t.dataShape().height());
        meta.put("data_cols", t.dataShape().width());
        meta.put("created", Instant.now().toString());
        meta.set("config", mapper.valueToTree(t.config()));
        ObjectNode index = meta.putObject("tensors");
        for (NDArray a : tensors) {
            index.set(a.getName(), mapper.valueToTree(a.getShape().getShape()));
        }
        dev.gantry.util.AtomicFile.write(target, out -> writeZip(out, mapper, meta, tensors));
        return target;
    }

    private static void writeZip(OutputStream out, ObjectMapper mapper, ObjectNode meta, List<NDArray> tensors) throws IOException {
        // Not closed: closing would close the atomic writer's stream before it can force it to disk.
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry("meta.json"));
        zip.write(mapper.writeValueAsBytes(meta));
        zip.closeEntry();
        for (NDArray a : tensors) {
            zip.putNextEntry(new ZipEntry("tensors/" + a.getName()));
            float[] values = a.toFloatArray();
            ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            zip.write(buf.array());
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** Reads the config stored in a checkpoint (to rebuild the trainer before {@link #restore}). */
    public static RunConfig config(Path file) {
        return ConfigLoader.fromJson(readMeta(file).get("config"), "the config stored in checkpoint " + file);
    }

    /** Loads a checkpoint's tensors and counters into a trainer built from the same config. */
    public static void restore(GanTrainer t, Path file) {
        JsonNode meta = readMeta(file);
        load(file, meta, t.state().tensors());
        t.setPosition(meta.path("step").asLong(), meta.path("epoch").asInt(), meta.path("step_in_epoch").asInt(),
                meta.path("updates_g").asLong(), meta.path("updates_d").asLong());
    }

    /** The shape of the images a checkpoint's generator makes (checkpoints before channels: 1×rows×cols). */
    public static ImageShape dataShape(JsonNode meta) {
        return new ImageShape(meta.path("data_channels").asInt(1), meta.path("data_rows").asInt(28), meta.path("data_cols").asInt(28));
    }

    /**
     * The generator of a checkpoint, by itself: built from the config the checkpoint holds and
     * restored, on {@code manager}; no trainer, discriminator or optimizer is made.
     */
    public static Generator generator(Path file, NDManager manager) {
        JsonNode meta = readMeta(file);
        RunConfig config = config(file);
        Generator g = Models.generator(manager, config.model(), dataShape(meta));
        List<NDArray> tensors = new ArrayList<>();
        g.params().stream().map(Param::array).forEach(tensors::add);
        tensors.addAll(g.buffers());
        load(file, meta, tensors);
        return g;
    }

    /** Sets each of {@code tensors} from the entry of its name, checking shape and length. */
    private static void load(Path file, JsonNode meta, List<NDArray> tensors) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (NDArray a : tensors) {
                JsonNode shapeNode = meta.path("tensors").get(a.getName());
                ZipEntry entry = zip.getEntry("tensors/" + a.getName());
                if (shapeNode == null || entry == null) {
                    throw new BadInputException("checkpoint " + file + " has no tensor '" + a.getName()
                            + "': it was made by a different model or optimizer");
                }
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                if (!Arrays.equals(shape, a.getShape().getShape())) {
                    throw new BadInputException("checkpoint " + file + ": tensor '" + a.getName() + "' has shape "
                            + Arrays.toString(shape) + ", expected " + a.getShape());
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (bytes.length != a.size() * 4) {
                    throw new BadInputException("checkpoint " + file + ": tensor '" + a.getName() + "' is truncated ("
                            + bytes.length + " bytes, expected " + a.size() * 4 + ")");
                }
                float[] values = new float[(int) a.size()];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                a.set(values);
            }
        } catch (IOException e) {
            throw new BadInputException("checkpoint " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The parsed meta.json of a checkpoint, checked for format and version. */
    public static JsonNode readMeta(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("checkpoint " + file + " does not exist");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("meta.json");
            if (entry == null) {
                throw new BadInputException("checkpoint " + file + " has no meta.json: not a Gantry checkpoint");
            }
            JsonNode meta;
            try (InputStream in = zip.getInputStream(entry)) {
                meta = ConfigLoader.mapper().readTree(in);
            }
            if (!FORMAT.equals(meta.path("format").asText()) || meta.path("version").asInt() != VERSION) {
                throw new BadInputException("checkpoint " + file + ": expected format " + FORMAT + " version " + VERSION
                        + ", found " + meta.path("format").asText("?") + " version " + meta.path("version").asText("?"));
            }
            for (String key : List.of("step", "epoch", "step_in_epoch", "updates_g", "updates_d", "config", "tensors")) {
                if (!meta.has(key)) {
                    throw new BadInputException("checkpoint " + file + ": meta.json lacks '" + key + "'");
                }
            }
            return meta;
        } catch (IOException e) {
            throw new BadInputException("checkpoint " + file + " is unreadable (" + e.getMessage() + "): expected a zip file", e);
        }
    }

    /** Checkpoints in {@code dir}, oldest first. */
    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<Path, Long> steps = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    steps.put(f, Long.parseLong(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new BadInputException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        return steps.keySet().stream().sorted((a, b) -> Long.compare(steps.get(a), steps.get(b))).toList();
    }

    /** The newest checkpoint in {@code dir}. */
    public static Path latest(Path dir) {
        List<Path> all = list(dir);
        if (all.isEmpty()) {
            throw new BadInputException("no checkpoint in " + dir + " (expected files named step-NNNNNNNNN.ckpt)");
        }
        return all.get(all.size() - 1);
    }

    /** The checkpoint of {@code step} in {@code dir}. */
    public static Path atStep(Path dir, long step) {
        Path p = dir.resolve(fileName(step));
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("no checkpoint for step " + step + " in " + dir + " (have: "
                    + list(dir).stream().map(f -> f.getFileName().toString()).toList() + ")");
        }
        return p;
    }

    /** Deletes all but the newest {@code keep} checkpoints and those {@code permanent} accepts (by step). */
    public static void prune(Path dir, int keep, java.util.function.LongPredicate permanent) throws IOException {
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - keep; i++) {
            if (!permanent.test(step(all.get(i)))) {
                Files.deleteIfExists(all.get(i));
            }
        }
    }

    /** The step in a checkpoint's file name. */
    public static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new BadInputException(checkpoint + " is not named like a checkpoint (step-NNNNNNNNN.ckpt)");
        }
        return Long.parseLong(m.group(1));
    }

}
