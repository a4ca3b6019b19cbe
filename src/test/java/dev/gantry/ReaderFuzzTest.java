package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.format.Cifar10Binary;
import dev.gantry.data.format.Idx;
import dev.gantry.data.format.Npy;
import dev.gantry.models.Generator;
import dev.gantry.nn.Param;
import dev.gantry.run.Checkpoint;
import dev.gantry.train.GanTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the readers of files a user hands Gantry (issue #12): a few hundred seeded mutations of
 * a valid file each — byte flips, truncations, insertions, header fields and JSON values changed —
 * and every read must either succeed with the result the mutated bytes hold or refuse them with a
 * {@link BadInputException} (the exit-2 path); never another exception, an OutOfMemoryError, or a
 * hang (each read runs under a preemptive timeout). Seeds are fixed: a failure names the mutation
 * and reproduces. A longer search with other mutations: {@code mvn test -Dtest=ReaderFuzzTest
 * -Dgantry.fuzz.n=1500 -Dgantry.fuzz.seed=1} (clean on 2026-12-01).
 */
class ReaderFuzzTest {

    /** Mutations per reader (more with -Dgantry.fuzz.n=...). */
    static final int N = Integer.getInteger("gantry.fuzz.n", 300);
    /** Added to every reader's seed (other mutations with -Dgantry.fuzz.seed=...). */
    static final long SEED = Long.getLong("gantry.fuzz.seed", 0);
    /** Far more than any read here takes (milliseconds); a read past it is a hang. */
    static final Duration HANG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> failures = new ArrayList<>();
    private int refused;
    private int accepted;

    /** Runs one read: its result, or null when it was refused as bad input; anything else is a failure. */
    private <T> T attempt(String what, Callable<T> read) {
        try {
            T result = assertTimeoutPreemptively(HANG, read::call, () -> what + ": no answer within " + HANG);
            accepted++;
            return result;
        } catch (BadInputException e) {
            refused++;
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                failures.add(what + ": a refusal without a message");
            }
            return null;
        } catch (Throwable t) {
            failures.add(what + ": " + t);
            return null;
        }
    }

    private void check(String what, boolean ok, String expected) {
        if (!ok) {
            failures.add(what + ": accepted, but " + expected);
        }
    }

    private void assertNoFailures(String reader) {
        System.out.printf("%s: %d reads of %d mutations: %d accepted as what the bytes hold, %d refused as bad input, %d other%n",
                reader, accepted + refused + failures.size(), N, accepted, refused, failures.size());
        assertThat(failures).as(reader + ": " + failures.size() + " bad outcomes of " + (accepted + refused + failures.size())
                + " reads; the first: " + failures.stream().limit(10).toList()).isEmpty();
        assertThat(refused).as(reader + " refused some mutations").isPositive();
    }

    // ---- IDX ----

    @Test
    void idxReadsWhatTheBytesHoldOrRefusesThem() throws Exception {
        Mutator m = new Mutator(12_001 + SEED);
        byte[] data = new byte[7 * 5 * 4];
        m.random().nextBytes(data);
        Path seedFile = dir.resolve("seed-idx");
        Idx.write(seedFile, new int[] {7, 5, 4}, data);
        byte[] seed = Files.readAllBytes(seedFile);
        byte[] gz = gzip(seed);
        Path file = dir.resolve("fuzz-idx");
        for (int i = 0; i < N; i++) {
            String[] what = new String[1];
            boolean compressed = i % 3 == 2;
            byte[] mutant;
            if (!compressed && m.nextInt(3) == 0) {
                mutant = seed.clone();
                int field = m.nextInt(4);   // the magic (type, rank) or one of the three dimensions
                if (field == 0) {
                    mutant[2 + m.nextInt(2)] = (byte) m.nextInt(256);
                    what[0] = "magic " + Arrays.toString(Arrays.copyOf(mutant, 4));
                } else {
                    int v = m.interestingInt(ByteBuffer.wrap(seed, 4 * field, 4).getInt());
                    ByteBuffer.wrap(mutant, 4 * field, 4).putInt(v);
                    what[0] = "dimension " + (field - 1) + " set to " + v;
                }
            } else {
                mutant = m.bytes(compressed ? gz : seed, compressed ? 20 : 16, what);
            }
            Files.write(file, mutant);
            String label = "IDX mutation " + i + (compressed ? " (gzip)" : "") + ", " + what[0];
            Idx.IdxArray a = attempt(label, () -> Idx.read(file));
            if (a != null) {
                byte[] plain = compressed ? gunzip(mutant) : mutant;
                check(label, plain != null && Arrays.equals(encodeIdx(a), plain), "the result is not what the bytes hold");
            }
        }
        assertNoFailures("Idx.read");
    }

    static byte[] encodeIdx(Idx.IdxArray a) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.rank() + a.data().length);
        b.put((byte) 0).put((byte) 0).put((byte) Idx.TYPE_UBYTE).put((byte) a.rank());
        for (int d : a.dims()) {
            b.putInt(d);
        }
        return b.put(a.data()).array();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** What Java's gzip decoder makes of {@code b}, or null if it refuses it. */
    static byte[] gunzip(byte[] b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    // ---- .npy ----

    @Test
    void npyReadsWhatTheBytesHoldOrRefusesThem() throws Exception {
        Mutator m = new Mutator(12_002 + SEED);
        float[] values = new float[6 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = m.random().nextFloat();
        }
        Path seedFile = dir.resolve("seed.npy");
        Npy.writeFloat32(seedFile, values, 6, 5);
        byte[] seed = Files.readAllBytes(seedFile);
        String header = new String(seed, 10, seed.length - 10 - values.length * 4, StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("fuzz.npy");
        for (int i = 0; i < N; i++) {
            String[] what = new String[1];
            byte[] mutant = m.nextInt(2) == 0 ? m.bytes(seed, 128, what) : npyHeader(m, seed, header, values.length * 4, what);
            Files.write(file, mutant);
            String label = "npy mutation " + i + ", " + what[0];
            Npy.Matrix a = attempt(label, () -> Npy.readFloat32(file));
            if (a != null) {
                check(label, npyHolds(mutant, a), "the result is not what the bytes hold");
            }
            Npy.Matrix images = attempt(label + " (as images)", () -> Npy.readImages(file, 5));
            if (images != null) {
                boolean inRange = images.cols() == 5;
                for (float v : images.data()) {
                    inRange &= v >= 0 && v <= 1;
                }
                check(label + " (as images)", inRange && npyHolds(mutant, images), "not 5 values in [0, 1] per image as the bytes hold");
            }
        }
        assertNoFailures("Npy.readFloat32");
    }

    /** The seed with its header text (or length field, or version) changed. */
    static byte[] npyHeader(Mutator m, byte[] seed, String header, int dataBytes, String[] what) {
        String h = header;
        int kind = m.nextInt(5);
        if (kind == 0) {
            String shape = m.pick(List.of("(0, 5)", "(6, 0)", "(5, 6)", "(30,)", "()", "(6, 5, 1)", "(-6, 5)", "(6 5)", "(6, 5",
                    "(2147483647, 2)", "(2147483648, 1)", "(1073741819, 2)", "(999999999999999999, 999999999999999999)",
                    "(99999999999999999999, 1)", "(6, 5,)", "(6L, 5)", "(0x6, 5)", "(６, 5)"));
            h = h.replace("(6, 5)", shape);
            what[0] = "shape " + shape;
        } else if (kind == 1) {
            String descr = m.pick(List.of("'<f8'", "'>f4'", "'|u1'", "''", "<f4", "'<f4", "'<F4'", "('<f4', 1)", "\"<f4\""));
            h = h.replace("'<f4'", descr);
            what[0] = "descr " + descr;
        } else if (kind == 2) {
            String order = m.pick(List.of("True", "1", "None", "false", "Fals"));
            h = h.replace("False", order);
            what[0] = "fortran_order " + order;
        } else if (kind == 3) {
            String edit = m.pick(List.of("{", "}", "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6, 5), }",
                    "{'fortran_order': False, 'shape': (6, 5), }", "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 5), 'x': 1}",
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 5)} trailing", "{'descr': '<f4' 'fortran_order': False}",
                    "{descr: '<f4', 'fortran_order': False, 'shape': (6, 5)}"));
            h = edit + " ".repeat(Math.max(0, header.length() - edit.length() - 1)) + "\n";
            what[0] = "header " + edit;
        }
        byte[] text = h.getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = Arrays.copyOfRange(seed, seed.length - dataBytes, seed.length);
        int major = 1;
        int length = text.length;
        if (kind == 4) {
            int choice = m.nextInt(4);
            if (choice == 0) {
                length = m.pick(List.of(0, 1, text.length - 1, text.length + 1, 0xFFFF, text.length + dataBytes));
                what[0] = "header length field " + length;
            } else if (choice == 1) {
                major = 2;
                what[0] = "version 2.0";
            } else {
                major = m.pick(List.of(0, 3, 255));
                what[0] = "version " + major + ".0";
            }
        }
        ByteBuffer b = ByteBuffer.allocate(12 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(seed, 0, 6).put((byte) major).put((byte) 0);
        if (major == 2) {
            b.putInt(length);
        } else {
            b.putShort((short) length);
        }
        b.put(text).put(data);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Whether {@code a} holds the floats after the header {@code mutant} declares, in the shape its text gives. */
    static boolean npyHolds(byte[] mutant, Npy.Matrix a) {
        int major = mutant[6] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(mutant).order(ByteOrder.LITTLE_ENDIAN);
        long hlen = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8) & 0xFFFFFFFFL;
        long start = (major == 1 ? 10 : 12) + hlen;
        if ((mutant.length - start) != (long) a.data().length * 4 || (long) a.rows() * a.cols() != a.data().length) {
            return false;
        }
        for (int i = 0; i < a.data().length; i++) {
            if (Float.floatToRawIntBits(b.getFloat((int) start + 4 * i)) != Float.floatToRawIntBits(a.data()[i])) {
                return false;
            }
        }
        String text = new String(mutant, major == 1 ? 10 : 12, (int) hlen, StandardCharsets.ISO_8859_1);
        Matcher s = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(text);
        return !s.find() || (Long.parseLong(s.group(1)) == a.rows() && Long.parseLong(s.group(2)) == a.cols());
    }

    // ---- CIFAR-10 binary ----

    @Test
    void cifar10ReadsWhatTheBytesHoldOrRefusesThem() throws Exception {
        Mutator m = new Mutator(12_003 + SEED);
        byte[] seed = new byte[3 * Cifar10Binary.RECORD_BYTES];
        m.random().nextBytes(seed);
        for (int k = 0; k < 3; k++) {
            seed[k * Cifar10Binary.RECORD_BYTES] = (byte) m.nextInt(10);
        }
        Path cifar = dir.resolve("cifar");
        Files.createDirectories(cifar);
        Path file = cifar.resolve("test_batch.bin");
        byte[] names = String.join("\n", Cifar10Binary.CLASS_NAMES).concat("\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < N; i++) {
            String[] what = new String[1];
            byte[] mutant;
            if (m.nextInt(3) == 0) {
                mutant = seed.clone();
                int record = m.nextInt(3);
                mutant[record * Cifar10Binary.RECORD_BYTES] = (byte) m.nextInt(256);
                what[0] = "label of record " + record + " set to " + (mutant[record * Cifar10Binary.RECORD_BYTES] & 0xFF);
            } else {
                mutant = m.bytes(seed, 1, what);
            }
            Files.write(file, mutant);
            String label = "CIFAR-10 mutation " + i + ", " + what[0];
            Cifar10Binary.Labelled a = attempt(label, () -> Cifar10Binary.read(cifar, Cifar10Binary.TEST_FILES));
            if (a != null) {
                check(label, cifarHolds(mutant, a), "the result is not what the bytes hold");
            }
            // batches.meta.txt, the class names
            String[] whatNames = new String[1];
            byte[] meta = m.bytes(names, 0, whatNames);
            Files.write(cifar.resolve(Cifar10Binary.META_FILE), meta);
            String labelNames = "CIFAR-10 class-name mutation " + i + ", " + whatNames[0];
            List<String> got = attempt(labelNames, () -> Cifar10Binary.classNames(cifar));
            if (got != null) {
                List<String> lines = strictUtf8Lines(meta);
                check(labelNames, lines != null && got.equals(lines), "the names are not the file's ten non-blank lines");
            }
        }
        assertNoFailures("Cifar10Binary");
    }

    static boolean cifarHolds(byte[] mutant, Cifar10Binary.Labelled a) {
        int rec = Cifar10Binary.RECORD_BYTES;
        if (mutant.length == 0 || mutant.length % rec != 0 || a.n() != mutant.length / rec) {
            return false;
        }
        for (int k = 0; k < a.n(); k++) {
            if (a.label(k) != (mutant[k * rec] & 0xFF) || a.label(k) >= 10) {
                return false;
            }
            for (int j = 0; j < Cifar10Binary.DIM; j++) {
                if (a.pixels()[k * Cifar10Binary.DIM + j] != (mutant[k * rec + 1 + j] & 0xFF) / 255f) {
                    return false;
                }
            }
        }
        return true;
    }

    static List<String> strictUtf8Lines(byte[] b) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            return text.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // ---- config JSON ----

    @Test
    void configFilesReadAsTheySayOrAreRefused() throws Exception {
        Mutator m = new Mutator(12_004 + SEED);
        ObjectMapper mapper = ConfigLoader.mapper();
        ObjectNode seedTree = mapper.valueToTree(ConfigLoader.load("tiny", null, List.of()));
        byte[] seed = ConfigLoader.toJson(ConfigLoader.load("tiny", null, List.of())).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("config.json");
        for (int i = 0; i < N; i++) {
            String[] what = new String[1];
            byte[] mutant = m.nextInt(3) == 0 ? m.bytes(seed, seed.length, what)
                    : json(m, seedTree, what).getBytes(StandardCharsets.UTF_8);
            Files.write(file, mutant);
            String label = "config mutation " + i + ", " + what[0];
            RunConfig read = attempt(label, () -> ConfigLoader.read(file));
            RunConfig loaded = attempt(label + " (as --config)", () -> ConfigLoader.load(null, file, List.of()));
            JsonNode said = read == null && loaded == null ? null : parse(mutant);
            if (read != null) {
                check(label, said != null && saysWhatItHolds(said, mapper.valueToTree(read), ""), "the config differs from the file");
            }
            if (loaded != null) {
                check(label + " (as --config)", said != null && saysWhatItHolds(said, mapper.valueToTree(loaded), ""),
                        "the config differs from the file");
            }
        }
        assertNoFailures("ConfigLoader");
    }

    static JsonNode parse(byte[] b) {
        try {
            return ConfigLoader.mapper().readTree(b);
        } catch (IOException e) {
            return null;
        }
    }

    /** Every value {@code said} gives is the config's (numbers compared by value; preset aside, which a loader names). */
    static boolean saysWhatItHolds(JsonNode said, JsonNode config, String path) {
        if (said.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = said.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = path.equals("data.") && e.getKey().equals("source") ? "name" : e.getKey();
                if (path.isEmpty() && key.equals("preset")) {
                    continue;
                }
                JsonNode c = config.get(key);
                if (c == null || !saysWhatItHolds(e.getValue(), c, path + key + ".")) {
                    return false;
                }
            }
            return true;
        }
        if (said.isNumber() && config.isNumber()) {
            return said.isIntegralNumber() && config.isIntegralNumber() ? said.bigIntegerValue().equals(config.bigIntegerValue())
                    : new BigDecimal(said.asText()).compareTo(new BigDecimal(config.asText())) == 0 || said.asDouble() == config.asDouble();
        }
        return said.equals(config);
    }

    private static final String HOLE = "@@FUZZ@@";

    /** The JSON text of {@code seed} with one value replaced, removed, added or duplicated. */
    static String json(Mutator m, ObjectNode seed, String[] what) throws IOException {
        ObjectNode tree = seed.deepCopy();
        List<Object[]> slots = new ArrayList<>();   // {container, field name or index, path}
        collect(tree, "", slots);
        // Half of the time a top-level key: in a checkpoint's meta.json the counters, version and
        // data shape would otherwise drown among the config's, tensors' and sums' hundred entries.
        List<Object[]> top = slots.stream().filter(x -> x[0] == tree).toList();
        Object[] slot = m.nextBoolean() ? m.pick(top) : m.pick(slots);
        String snippet = m.jsonValue();
        int op = m.nextInt(10);
        JsonNode container = (JsonNode) slot[0];
        if (op < 6) {
            set(container, slot[1], TextNode.valueOf(HOLE));
            what[0] = slot[2] + " = " + abbreviate(snippet);
        } else if (op == 6) {
            if (container instanceof ObjectNode o) {
                o.remove((String) slot[1]);
            } else {
                ((ArrayNode) container).remove((Integer) slot[1]);
            }
            what[0] = "removed " + slot[2];
        } else if (op == 7) {
            ObjectNode o = objectOf(container, tree);
            o.set("zz_unknown", TextNode.valueOf(HOLE));
            what[0] = "unknown key next to " + slot[2];
        } else if (op == 8 && container instanceof ObjectNode o && o.size() > 0) {
            String first = o.fieldNames().next();
            String text = ConfigLoader.mapper().writeValueAsString(tree);
            what[0] = "key " + first + " given twice";
            String needle = "\"" + first + "\" :";
            return text.replaceFirst(Pattern.quote(needle), Matcher.quoteReplacement(needle + " 1, " + needle));
        } else {
            JsonNode v = container instanceof ObjectNode o ? o.get((String) slot[1]) : container.get((Integer) slot[1]);
            if (v != null && v.isNumber()) {
                String changed = m.pick(List.of(v.asText() + "0", "-" + v.asText(), v.asText() + ".5", v.asText() + "e3"));
                set(container, slot[1], TextNode.valueOf(HOLE));
                snippet = changed;
                what[0] = slot[2] + " = " + changed;
            } else {
                set(container, slot[1], TextNode.valueOf(HOLE));
                what[0] = slot[2] + " = " + abbreviate(snippet);
            }
        }
        return ConfigLoader.mapper().writeValueAsString(tree).replace("\"" + HOLE + "\"", snippet);
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "...(" + s.length() + " chars)" : s;
    }

    private static ObjectNode objectOf(JsonNode container, ObjectNode root) {
        return container instanceof ObjectNode o ? o : root;
    }

    private static void set(JsonNode container, Object key, JsonNode value) {
        if (container instanceof ObjectNode o) {
            o.set((String) key, value);
        } else {
            ((ArrayNode) container).set((Integer) key, value);
        }
    }

    private static void collect(JsonNode node, String path, List<Object[]> slots) {
        if (node instanceof ObjectNode o) {
            Iterator<String> names = o.fieldNames();
            List<String> keys = new ArrayList<>();
            names.forEachRemaining(keys::add);
            for (String k : keys) {
                slots.add(new Object[] {o, k, path + k});
                collect(o.get(k), path + k + ".", slots);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Object[] {a, i, path + i});
                collect(a.get(i), path + i + ".", slots);
            }
        }
    }

    // ---- checkpoints ----

    @Test
    void checkpointsLoadAsTheySayOrAreRefusedChangingNothing() throws Exception {
        Mutator m = new Mutator(12_005 + SEED);
        // Narrower than tiny: 13,000 values in all, so that each of the 1,200 reads takes milliseconds.
        RunConfig config = ConfigLoader.load("tiny", null, List.of("model.g_hidden=8", "model.d_units=4"));
        Path seedDir = dir.resolve("seed-ckpt");
        Path seedFile;
        try (GanTrainer t = new GanTrainer(config, FakeImages.generate(config.data().trainSize(), 5))) {
            t.train(1);
            seedFile = Checkpoint.save(t.state(), seedDir);
        }
        byte[] seed = Files.readAllBytes(seedFile);
        Map<String, byte[]> seedEntries = entries(seedFile);
        ObjectNode seedMeta = (ObjectNode) ConfigLoader.mapper().readTree(seedEntries.get("meta.json"));
        Path fuzz = dir.resolve("fuzz-ckpt");
        Files.createDirectories(fuzz);
        Path file = fuzz.resolve(seedFile.getFileName());
        try (GanTrainer t = new GanTrainer(config, FakeImages.generate(config.data().trainSize(), 5));
             NDManager manager = NDManager.newBaseManager()) {
            List<int[]> state = bits(t.state().tensors());
            long[] counters = counters(t);
            for (int i = 0; i < N; i++) {
                String[] what = new String[1];
                int kind = m.nextInt(3);
                byte[] mutant = kind == 0 ? m.bytes(seed, 64, what)
                        : kind == 1 ? zip(withMeta(seedEntries, json(m, seedMeta, what)))
                        : zip(withTensor(m, seedEntries, seedMeta, what));
                Files.write(file, mutant);
                String label = "checkpoint mutation " + i + ", " + (kind == 1 ? "meta.json " : "") + what[0];
                attempt(label + " (meta)", () -> Checkpoint.readMeta(file));
                attempt(label + " (config)", () -> Checkpoint.config(file));
                Boolean restored = attempt(label + " (restore)", () -> {
                    Checkpoint.restore(t, file);
                    return true;
                });
                Map<String, byte[]> held = restored == null ? null : entriesOrNull(file);
                if (restored != null) {
                    check(label + " (restore)", held != null && holds(t.state().tensors(), held), "the tensors are not the file's");
                    state = bits(t.state().tensors());
                    counters = counters(t);
                } else {
                    check(label + " (restore)", sameBits(state, bits(t.state().tensors())) && Arrays.equals(counters, counters(t)),
                            "a refused restore changed the trainer");
                }
                Generator g = attempt(label + " (generator)", () -> Checkpoint.generator(file, manager));
                if (g != null) {
                    Map<String, byte[]> entries = entriesOrNull(file);
                    List<NDArray> gTensors = new ArrayList<>();
                    g.params().stream().map(Param::array).forEach(gTensors::add);
                    gTensors.addAll(g.buffers());
                    check(label + " (generator)", entries != null && holds(gTensors, entries), "G's tensors are not the file's");
                }
            }
        }
        assertNoFailures("Checkpoint");
    }

    private static long[] counters(GanTrainer t) {
        return new long[] {t.step(), t.epoch(), t.stepInEpoch(), t.optimizerG().updates(), t.optimizerD().updates()};
    }

    private static List<int[]> bits(List<NDArray> tensors) {
        List<int[]> out = new ArrayList<>();
        for (NDArray a : tensors) {
            float[] v = a.toFloatArray();
            int[] b = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Float.floatToRawIntBits(v[i]);
            }
            out.add(b);
        }
        return out;
    }

    private static boolean sameBits(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether each tensor holds the little-endian floats of its entry. */
    private static boolean holds(List<NDArray> tensors, Map<String, byte[]> entries) {
        for (NDArray a : tensors) {
            byte[] e = entries.get("tensors/" + a.getName());
            float[] v = a.toFloatArray();
            if (e == null || e.length != v.length * 4) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                if (Float.floatToRawIntBits(b.getFloat(4 * i)) != Float.floatToRawIntBits(v[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (var e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = z.getInputStream(entry)) {
                    all.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return all;
    }

    /** The entries of {@code zip} that read without error (a damaged one the reader did not need may not). */
    private static Map<String, byte[]> entriesOrNull(Path zip) {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (var e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = z.getInputStream(entry)) {
                    all.put(entry.getName(), in.readAllBytes());
                } catch (IOException | RuntimeException unreadable) {
                    // left out
                }
            }
            return all;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> withMeta(Map<String, byte[]> seed, String meta) {
        Map<String, byte[]> all = new LinkedHashMap<>(seed);
        all.put("meta.json", meta.getBytes(StandardCharsets.UTF_8));
        return all;
    }

    /** A consistent zip with one tensor entry changed, its recorded SHA-256 updated half of the time. */
    private static Map<String, byte[]> withTensor(Mutator m, Map<String, byte[]> seed, ObjectNode meta, String[] what) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>(seed);
        List<String> tensors = all.keySet().stream().filter(k -> k.startsWith("tensors/")).toList();
        String name = m.pick(tensors);
        byte[] b = all.get(name).clone();
        int kind = m.nextInt(5);
        if (kind == 0) {
            all.remove(name);
            what[0] = "entry " + name + " removed";
        } else if (kind == 1) {
            all.remove(name);
            all.put(name + "x", b);
            what[0] = "entry " + name + " renamed";
        } else if (kind == 2) {
            float v = m.pick(List.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.25f, -0f, Float.MIN_VALUE, 1e30f));
            int at = m.nextInt(b.length / 4);
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * at, v);
            all.put(name, b);
            what[0] = name + "[" + at + "] = " + v;
        } else {
            String[] w = new String[1];
            all.put(name, m.bytes(b, 0, w));
            what[0] = name + " " + w[0];
        }
        ObjectNode changed = meta.deepCopy();
        if (m.nextBoolean() && all.get(name) != null) {
            ((ObjectNode) changed.get("sha256")).put(name.substring("tensors/".length()), sha256(all.get(name)));
            what[0] += ", its SHA-256 updated";
        }
        all.put("meta.json", ConfigLoader.mapper().writeValueAsBytes(changed));
        return all;
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
