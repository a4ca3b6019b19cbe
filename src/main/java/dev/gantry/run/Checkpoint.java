package dev.gantry.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.models.Discriminator;
import dev.gantry.models.Generator;
import dev.gantry.models.Models;
import dev.gantry.nn.Param;
import dev.gantry.train.GanTrainer;
import dev.gantry.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: a zip file holding {@code meta.json} (counters, seed, the config that made
 * it, the index of tensors and, since version 2, the SHA-256 of each tensor's bytes) and one
 * little-endian float32 entry per tensor — G's and D's parameters and both optimizers' state.
 * Written to a temporary file and linked into place, so a crash never leaves a half-written
 * checkpoint under a checkpoint's name, and an existing checkpoint is never replaced.
 *
 * <p>Loading checks everything before it sets anything: the counters (non-negative JSON integers,
 * {@code step} equal to the number in the file name), each entry's zip CRC-32, each tensor's
 * SHA-256 (version 2), its shape and length, and that every value is finite. A checkpoint that
 * fails any check is refused with a {@link BadInputException} naming the file and the entry.
 */
public final class Checkpoint {

    public static final String FORMAT = "gantry-checkpoint";
    /** The version written; 2 added the per-tensor {@code sha256} index. Versions 1 and 2 are read. */
    public static final int VERSION = 2;
    private static final List<Integer> READABLE_VERSIONS = List.of(1, 2);
    private static final List<String> COUNTERS = List.of("step", "epoch", "step_in_epoch", "updates_g", "updates_d");
    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.ckpt");
    /**
     * How many of G's updates its stored moving average holds (runs with {@code train.g_average}
     * since this key; older checkpoints lack it and their average holds all {@code updates_g}).
     * Fewer than {@code updates_g} when a resume restarted the average with another rate.
     */
    public static final String AVERAGE_UPDATES_G = "g_average_updates";

    private Checkpoint() {}

    /** The file name of the checkpoint at {@code step}. */
    public static String fileName(long step) {
        return String.format("step-%09d.ckpt", step);
    }

    /**
     * Writes a training state into {@code dir}, atomically; returns the file. A checkpoint of the
     * same step that already exists is never replaced: if it holds exactly this state (as when a
     * resumed run is stopped before its first step) it is kept and returned; otherwise the save is
     * refused.
     *
     * @throws BadInputException if a different checkpoint of this step exists
     */
    public static Path save(TrainingState t, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(t.step()));
        ObjectMapper mapper = ConfigLoader.mapper();
        List<NDArray> tensors = t.tensors();
        Map<String, String> sums = new LinkedHashMap<>();
        for (NDArray a : tensors) {
            sums.put(a.getName(), sha256(bytes(a)));
        }
        if (Files.exists(target)) {
            return keepExisting(target, t, sums);
        }
        ObjectNode meta = mapper.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("step", t.step());
        meta.put("epoch", t.epoch());
        meta.put("step_in_epoch", t.stepInEpoch());
        meta.put("updates_g", t.updatesG());
        meta.put("updates_d", t.updatesD());
        if (t.config().train().gAverage() > 0) {
            meta.put(AVERAGE_UPDATES_G, t.averageUpdatesG());
        }
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
        ObjectNode sha = meta.putObject("sha256");
        sums.forEach(sha::put);
        try {
            dev.gantry.util.AtomicFile.writeNew(target, out -> writeZip(out, mapper, meta, tensors, sums));
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("checkpoint " + target + " appeared while it was being written (is another "
                    + "process writing into " + dir + "?); a checkpoint is never overwritten", e);
        }
        return target;
    }

    /** {@code target} exists: keeps it if it holds {@code t}'s state, else refuses to replace it. */
    private static Path keepExisting(Path target, TrainingState t, Map<String, String> sums) {
        String why = null;
        try (ZipFile zip = new ZipFile(target.toFile())) {
            JsonNode meta;
            ZipEntry metaEntry = zip.getEntry("meta.json");
            try (InputStream in = metaEntry == null ? InputStream.nullInputStream() : zip.getInputStream(metaEntry)) {
                meta = ConfigLoader.mapper().readTree(in);
            }
            if (meta == null || meta.path("step").asLong(-1) != t.step() || meta.path("epoch").asLong(-1) != t.epoch()
                    || meta.path("step_in_epoch").asLong(-1) != t.stepInEpoch()
                    || meta.path("updates_g").asLong(-1) != t.updatesG() || meta.path("updates_d").asLong(-1) != t.updatesD()
                    || averageUpdatesG(meta) != (t.config().train().gAverage() > 0 ? t.averageUpdatesG() : meta.path("updates_g").asLong(-1))) {
                why = "its counters differ";
            }
            for (Map.Entry<String, String> e : sums.entrySet()) {
                if (why != null) {
                    break;
                }
                ZipEntry entry = zip.getEntry("tensors/" + e.getKey());
                if (entry == null) {
                    why = "it has no tensor '" + e.getKey() + "'";
                    break;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    if (!sha256(in.readAllBytes()).equals(e.getValue())) {
                        why = "its tensor '" + e.getKey() + "' differs";
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            why = "it is unreadable (" + e.getMessage() + ")";
        }
        if (why == null) {
            return target;   // the very same state: nothing to write
        }
        throw new BadInputException("checkpoint " + target + " already exists and does not hold the state of step " + t.step()
                + " (" + why + "); a checkpoint is never overwritten: move it aside to write this one");
    }

    /** A tensor's values as the little-endian float32 bytes of its entry. */
    private static byte[] bytes(NDArray a) {
        float[] values = a.toFloatArray();
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static void writeZip(OutputStream out, ObjectMapper mapper, ObjectNode meta, List<NDArray> tensors,
            Map<String, String> sums) throws IOException {
        // Not closed: closing would close the atomic writer's stream before it can force it to disk.
        ZipOutputStream zip = new ZipOutputStream(out);
        // Stored, not compressed: float32 weights barely deflate, and deflating them cost 8 % of a
        // toy-ring8 run (issue #13's profile). The entries stay DEFLATED-method zip entries, so
        // every reader, older Gantry included, reads them as before.
        zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry("meta.json"));
        zip.write(mapper.writeValueAsBytes(meta));
        zip.closeEntry();
        int written = 0;
        for (NDArray a : tensors) {
            if (written++ == tensors.size() / 2) {
                zip.flush();
                dev.gantry.util.Halt.at("checkpoint-write", meta.get("step").asLong());   // crash tests: a kill inside the write
            }
            zip.putNextEntry(new ZipEntry("tensors/" + a.getName()));
            byte[] bytes = bytes(a);
            if (!sha256(bytes).equals(sums.get(a.getName()))) {
                throw new IllegalStateException("tensor " + a.getName() + " changed while its checkpoint was written");
            }
            zip.write(bytes);
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
        long step = meta.get("step").asLong();
        int epoch = meta.get("epoch").asInt();
        int stepInEpoch = meta.get("step_in_epoch").asInt();
        int perEpoch = t.stepsPerEpoch();
        if (perEpoch > 0 && (stepInEpoch >= perEpoch || step != (long) epoch * perEpoch + stepInEpoch)) {
            throw new BadInputException("checkpoint " + file + ": its counters disagree: step " + step + " is not epoch " + epoch
                    + " × " + perEpoch + " steps per epoch + step_in_epoch " + stepInEpoch);
        }
        load(file, meta, t.state().tensors());
        t.setPosition(step, epoch, stepInEpoch, meta.get("updates_g").asLong(), meta.get("updates_d").asLong());
        t.setAverageUpdatesG(averageUpdatesG(meta));
    }

    /** How many of G's updates the checkpoint's average of G holds ({@value #AVERAGE_UPDATES_G}, else {@code updates_g}). */
    private static long averageUpdatesG(JsonNode meta) {
        return meta.has(AVERAGE_UPDATES_G) ? meta.get(AVERAGE_UPDATES_G).asLong() : meta.path("updates_g").asLong(-1);
    }

    /**
     * The shape of the images a checkpoint's generator makes (checkpoints before channels: 1×rows×cols;
     * before sizes: 1×28×28).
     *
     * @throws BadInputException naming {@code file} if a size is given but is not a positive
     *     integer, or one image has more values than a Java array holds
     */
    public static ImageShape dataShape(JsonNode meta, Path file) {
        String where = "checkpoint " + file + ": meta.json";
        int c = size(meta, "data_channels", 1, where);
        int h = size(meta, "data_rows", 28, where);
        int w = size(meta, "data_cols", 28, where);
        if ((long) c * h * w > Integer.MAX_VALUE - 8) {
            throw new BadInputException(where + ": images of 'data_channels' × 'data_rows' × 'data_cols' = " + c + "×" + h + "×" + w
                    + " hold more values than one Java array (2^31 − 9)");
        }
        return new ImageShape(c, h, w);
    }

    private static int size(JsonNode meta, String key, int absent, String where) {
        JsonNode v = meta.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BadInputException(where + ": '" + key + "' must be a positive integer, found " + v);
        }
        return v.asInt();
    }

    /**
     * The generator of a checkpoint, by itself: built from the config the checkpoint holds and
     * restored, on {@code manager}; no trainer, discriminator or optimizer is made.
     */
    public static Generator generator(Path file, NDManager manager) {
        JsonNode meta = readMeta(file);
        RunConfig config = config(file);
        int classes = config.model().conditional() ? dev.gantry.data.Datasets.of(config).classNames().size() : 0;
        Generator g = Models.generator(manager, config.model(), dataShape(meta, file), classes);
        List<NDArray> tensors = new ArrayList<>();
        g.params().stream().map(Param::array).forEach(tensors::add);
        tensors.addAll(g.buffers());
        load(file, meta, tensors);
        return g;
    }

    /**
     * The discriminator of a checkpoint, by itself, restored on {@code manager} (its parameters
     * and buffers; no optimizer state).
     */
    public static Discriminator discriminator(Path file, NDManager manager) {
        JsonNode meta = readMeta(file);
        RunConfig config = config(file);
        int classes = config.model().conditional() ? dev.gantry.data.Datasets.of(config).classNames().size() : 0;
        Discriminator d = Models.discriminator(manager, config.model(), dataShape(meta, file), classes, "bigan".equals(config.loss().name()));
        List<NDArray> tensors = new ArrayList<>();
        d.params().stream().map(Param::array).forEach(tensors::add);
        tensors.addAll(d.buffers());
        load(file, meta, tensors);
        return d;
    }

    /**
     * The discriminator of a checkpoint with the moving average of its parameters ({@code
     * train.d_average} = a) in place of their last values: the stored average, which starts at 0,
     * divided by 1 − (1 − a)^t after t updates of D, so that its weights sum to one.
     *
     * @throws BadInputException when the run kept no average ({@code train.d_average = 0})
     */
    public static Discriminator averagedDiscriminator(Path file, NDManager manager) {
        RunConfig config = config(file);
        Discriminator d = discriminator(file, manager);
        setAveraged(file, d.params(), config.train().dAverage(), "updates_d", "D", "train.d_average", manager);
        return d;
    }

    /**
     * The generator of a checkpoint with the moving average of its parameters ({@code
     * train.g_average}), read as {@link #averagedDiscriminator} reads D's; its buffers (batch
     * norm's running statistics) are the last ones.
     *
     * @throws BadInputException when the run kept no average ({@code train.g_average = 0})
     */
    public static Generator averagedGenerator(Path file, NDManager manager) {
        RunConfig config = config(file);
        Generator g = generator(file, manager);
        setAveraged(file, g.params(), config.train().gAverage(), AVERAGE_UPDATES_G, "G", "train.g_average", manager);
        return g;
    }

    /** Whether the run of {@code file} kept a moving average of G's parameters. */
    public static boolean keepsAveragedGenerator(Path file) {
        return config(file).train().gAverage() > 0;
    }

    /** Overwrites {@code params} with their stored average, bias-corrected for the network's update count. */
    private static void setAveraged(Path file, List<Param> params, double a, String updatesKey, String net, String key,
                                    NDManager manager) {
        if (a <= 0) {
            throw new BadInputException(file + ": this run kept no average of " + net + "'s parameters (" + key + " = 0)");
        }
        JsonNode meta = readMeta(file);
        long t = updatesKey.equals(AVERAGE_UPDATES_G) ? averageUpdatesG(meta) : meta.get(updatesKey).asLong();
        if (t <= 0) {
            throw new BadInputException(file + ": " + net + "'s average holds no update yet (" + (meta.has(updatesKey) ? updatesKey
                    : "updates_" + net.toLowerCase(java.util.Locale.ROOT)) + " = " + t + "): it is undefined");
        }
        List<NDArray> averages = new ArrayList<>();
        for (Param p : params) {
            NDArray avg = manager.zeros(p.array().getShape());
            avg.setName(dev.gantry.train.ParamAverage.PREFIX + p.name());
            averages.add(avg);
        }
        load(file, meta, averages);
        float scale = dev.gantry.train.ParamAverage.biasCorrection(a, t);
        for (int i = 0; i < averages.size(); i++) {
            NDArray w = averages.get(i).mul(scale);
            dev.gantry.nn.Tensors.setValues(params.get(i).array(), w.toFloatArray());
            w.close();
            averages.get(i).close();
        }
    }

    /**
     * The inference network Q of a checkpoint (a run trained with {@code model.inferer = true}),
     * by itself, restored on {@code manager}.
     *
     * @throws BadInputException when the run trained no Q
     */
    public static dev.gantry.models.Inferer inferer(Path file, NDManager manager) {
        JsonNode meta = readMeta(file);
        RunConfig config = config(file);
        if (!config.model().inferer()) {
            throw new BadInputException(file + ": this run trained no inference network (model.inferer = false);"
                    + " train one with --set model.inferer=true");
        }
        ImageShape shape = dataShape(meta, file);
        var m = config.model();
        dev.gantry.models.Inferer q = new dev.gantry.models.Inferer(manager, shape, m.noiseDim(), m.qHidden(), m.qLayers());
        load(file, meta, q.params().stream().map(Param::array).toList());
        return q;
    }

    /**
     * Sets each of {@code tensors} from the entry of its name, once every one of them has passed
     * its checks (CRC-32, SHA-256 from version 2, shape, length, finite values): a refused
     * checkpoint changes nothing.
     */
    private static void load(Path file, JsonNode meta, List<NDArray> tensors) {
        boolean checksums = meta.get("version").asInt() >= 2;
        List<float[]> decoded = new ArrayList<>(tensors.size());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (NDArray a : tensors) {
                String name = a.getName();
                JsonNode shapeNode = meta.path("tensors").get(name);
                ZipEntry entry = zip.getEntry("tensors/" + name);
                if (shapeNode == null || entry == null) {
                    throw new BadInputException("checkpoint " + file + " has no tensor '" + name
                            + "': it was made by a different model or optimizer");
                }
                if (!shapeNode.isArray()) {
                    throw new BadInputException("checkpoint " + file + ": meta.json gives tensor '" + name + "' the shape " + shapeNode
                            + "; expected an array of sizes, e.g. " + a.getShape());
                }
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    JsonNode d = shapeNode.get(i);
                    if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                        throw new BadInputException("checkpoint " + file + ": meta.json gives tensor '" + name + "' the shape " + shapeNode
                                + "; expected non-negative integer sizes, e.g. " + a.getShape());
                    }
                    shape[i] = d.asLong();
                }
                if (!Arrays.equals(shape, a.getShape().getShape())) {
                    throw new BadInputException("checkpoint " + file + ": tensor '" + name + "' has shape "
                            + Arrays.toString(shape) + ", expected " + a.getShape());
                }
                byte[] bytes = readEntry(zip, entry, file, "tensor '" + name + "'");
                if (bytes.length != a.size() * 4) {
                    throw new BadInputException("checkpoint " + file + ": tensor '" + name + "' is truncated ("
                            + bytes.length + " bytes, expected " + a.size() * 4 + ")");
                }
                if (checksums) {
                    JsonNode want = meta.get("sha256").get(name);
                    if (want == null || !want.isTextual()) {
                        throw new BadInputException("checkpoint " + file + ": meta.json has no SHA-256 for tensor '" + name
                                + "' (version 2 records one per tensor)");
                    }
                    String got = sha256(bytes);
                    if (!got.equalsIgnoreCase(want.asText())) {
                        throw new BadInputException("checkpoint " + file + ": tensor '" + name + "' is damaged: the SHA-256 of its "
                                + "data is " + got + ", meta.json recorded " + want.asText() + " when it was saved");
                    }
                }
                float[] values = new float[(int) a.size()];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new BadInputException("checkpoint " + file + ": tensor '" + name + "' holds a non-finite value ("
                                + values[i] + ") at index " + i + "; refusing weights that diverged or are damaged "
                                + "(resume from an earlier checkpoint)");
                    }
                }
                decoded.add(values);
            }
        } catch (IOException e) {
            throw new BadInputException("checkpoint " + file + " is unreadable: " + e.getMessage(), e);
        }
        for (int i = 0; i < tensors.size(); i++) {
            dev.gantry.nn.Tensors.setValues(tensors.get(i), decoded.get(i));
        }
    }

    /**
     * The bytes of an entry, read fully and checked against the CRC-32 the zip records for it
     * ({@link ZipFile} does not check it for every entry).
     */
    private static byte[] readEntry(ZipFile zip, ZipEntry entry, Path file, String what) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new BadInputException("checkpoint " + file + ": " + what + " is damaged (entry " + entry.getName()
                    + " does not decompress: " + e.getMessage() + ")", e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new BadInputException(String.format("checkpoint %s: %s is damaged (entry %s has CRC-32 %08x, the zip "
                    + "recorded %08x)", file, what, entry.getName(), crc.getValue(), entry.getCrc()));
        }
        return bytes;
    }

    /**
     * The parsed meta.json of a checkpoint, checked for format, version and counters: each a
     * non-negative JSON integer, and {@code step} equal to the number in the file name (for a file
     * named like a checkpoint).
     */
    public static JsonNode readMeta(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException("checkpoint " + file + " is a directory, not a checkpoint file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("checkpoint " + file + " does not exist");
        }
        JsonNode meta;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("meta.json");
            if (entry == null) {
                throw new BadInputException("checkpoint " + file + " has no meta.json: not a Gantry checkpoint");
            }
            byte[] bytes = readEntry(zip, entry, file, "meta.json");
            try {
                meta = ConfigLoader.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new BadInputException("checkpoint " + file + ": meta.json is not valid JSON: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new BadInputException("checkpoint " + file + " is unreadable (" + e.getMessage() + "): expected a zip file", e);
        }
        JsonNode version = meta == null ? null : meta.get("version");
        if (meta == null || !FORMAT.equals(meta.path("format").asText()) || version == null || !version.isIntegralNumber()
                || !READABLE_VERSIONS.contains(version.asInt()) || !version.canConvertToInt()) {
            throw new BadInputException("checkpoint " + file + ": expected format " + FORMAT + " version 1 or " + VERSION
                    + ", found " + (meta == null ? "?" : meta.path("format").asText("?")) + " version "
                    + (version == null ? "?" : version.toString()));
        }
        for (String key : List.of("step", "epoch", "step_in_epoch", "updates_g", "updates_d", "config", "tensors")) {
            if (!meta.has(key)) {
                throw new BadInputException("checkpoint " + file + ": meta.json lacks '" + key + "'");
            }
        }
        for (String key : COUNTERS) {
            JsonNode v = meta.get(key);
            boolean small = key.equals("epoch") || key.equals("step_in_epoch");
            if (!v.isIntegralNumber() || !(small ? v.canConvertToInt() : v.canConvertToLong()) || v.asLong() < 0) {
                throw new BadInputException("checkpoint " + file + ": meta.json '" + key + "' must be a non-negative integer"
                        + (small ? " below 2^31" : "") + ", found " + v);
            }
        }
        if (meta.has(AVERAGE_UPDATES_G)) {
            JsonNode v = meta.get(AVERAGE_UPDATES_G);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > meta.get("updates_g").asLong()) {
                throw new BadInputException("checkpoint " + file + ": meta.json '" + AVERAGE_UPDATES_G + "' must be a non-negative "
                        + "integer no larger than 'updates_g' (" + meta.get("updates_g") + "), found " + v);
            }
        }
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (m.matches() && !new java.math.BigInteger(m.group(1)).equals(java.math.BigInteger.valueOf(meta.get("step").asLong()))) {
            throw new BadInputException("checkpoint " + file + ": meta.json 'step' is " + meta.get("step")
                    + " but the file name says step " + new java.math.BigInteger(m.group(1))
                    + "; the checkpoint was renamed or edited");
        }
        if (version.asInt() >= 2 && !meta.path("sha256").isObject()) {
            throw new BadInputException("checkpoint " + file + ": meta.json lacks 'sha256' (version 2 records a SHA-256 per tensor)");
        }
        return meta;
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
