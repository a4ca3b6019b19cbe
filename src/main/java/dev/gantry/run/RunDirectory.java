package dev.gantry.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.train.StepStats;
import dev.gantry.util.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's directory: {@code config.json} and {@code provenance.json} written before the first
 * step, {@code stats.jsonl}, {@code metrics.jsonl}, {@code samples/} and {@code checkpoints/}
 * (layout in design.md). An existing run is never overwritten. A process that trains in the run
 * holds its {@link #lock}; {@link #recover} mends what an interrupted one left.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String STATS = "stats.jsonl";
    public static final String METRICS = "metrics.jsonl";
    public static final String EVENTS = "events.jsonl";
    /** The lock file: held (FileChannel.tryLock) by the one process training in the run, and naming its PID. */
    public static final String LOCK = ".lock";
    private static final Pattern NUMBERED = Pattern.compile("(\\d{5})-.*");

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates a new run directory: {@code explicit} if given (it must not exist, or be empty),
     * else the next {@code NNNNN-<preset>} under {@code root}.
     */
    public static RunDirectory create(Path root, String preset, Path explicit) throws IOException {
        if (explicit != null) {
            if (Files.exists(explicit)) {
                requireEmpty(explicit);
            }
            Files.createDirectories(explicit);
            return new RunDirectory(explicit);
        }
        Files.createDirectories(root);
        String safe = preset.replaceAll("[^A-Za-z0-9._-]", "_");
        for (int attempt = 0; attempt < 100; attempt++) {
            int next = nextNumber(root);
            Path dir = root.resolve(String.format("%05d-%s", next, safe));
            try {
                Files.createDirectory(dir);
                return new RunDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // another process took this number; try the next
            }
        }
        throw new IOException("could not create a new run directory under " + root);
    }

    /**
     * Checks that {@code dir} is an empty directory (a lock file alone counts as empty): what
     * {@code train --run-dir} may start in. Called again once the run is locked, so that of two
     * trainings started into one directory at once only one proceeds.
     */
    public static void requireEmpty(Path dir) throws IOException {
        boolean empty;
        try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
            empty = Files.isDirectory(dir) && s.allMatch(p -> p.getFileName().toString().equals(LOCK));
        }
        if (!empty) {
            throw new BadInputException("--run-dir " + dir + " already exists and is not empty; "
                    + "a run directory is never overwritten (use `gantry resume " + dir + "` to continue it)");
        }
    }

    private static int nextNumber(Path root) throws IOException {
        int max = 0;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = NUMBERED.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        }
        return max + 1;
    }

    /** Opens an existing run directory. */
    public static RunDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + " is not a directory (expected a Gantry run directory)");
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new BadInputException(dir + " is not a Gantry run directory: no " + CONFIG);
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path samples() {
        return dir.resolve("samples");
    }

    public RunConfig readConfig() {
        return ConfigLoader.read(dir.resolve(CONFIG));
    }

    public void writeConfig(RunConfig config) throws IOException {
        writeAtomically(dir.resolve(CONFIG), ConfigLoader.toJson(config) + "\n");
    }

    public void writeProvenance(JsonNode provenance) throws IOException {
        writeAtomically(dir.resolve(PROVENANCE), ConfigLoader.mapper().writeValueAsString(provenance) + "\n");
    }

    /** Appends one line to stats.jsonl. */
    public void appendStats(StepStats s) {
        ObjectNode o = ConfigLoader.mapper().createObjectNode();
        o.put("step", s.step());
        o.put("epoch", s.epoch());
        putNumber(o, "loss_d", s.lossD());
        putNumber(o, "loss_g", s.lossG());
        putNumber(o, "d_real", s.dReal());
        putNumber(o, "d_fake", s.dFake());
        putNumber(o, "grad_norm_g", s.gradNormG());
        putNumber(o, "grad_norm_d", s.gradNormD());
        o.put("lr", s.lr());
        o.put("momentum", s.momentum());
        o.put("samples_per_s", Math.round(s.samplesPerSecond() * 10) / 10.0);
        appendLine(dir.resolve(STATS), o);
    }

    /** Appends one evaluation to metrics.jsonl. */
    public void appendMetric(ObjectNode metric) {
        appendLine(dir.resolve(METRICS), metric);
    }

    /**
     * The names ({@code "metric"}) of the records in metrics.jsonl for {@code step}; lines that do
     * not parse are skipped (they hold no record to find).
     */
    public Set<String> metricsAt(long step) {
        Path file = dir.resolve(METRICS);
        Set<String> names = new java.util.HashSet<>();
        if (!Files.isRegularFile(file)) {
            return names;
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);   // malformed bytes decode as U+FFFD
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String line : text.split("\n")) {
            try {
                JsonNode o = LENIENT.readTree(line);
                if (o != null && o.path("step").canConvertToLong() && o.path("step").asLong() == step && o.path("metric").isTextual()) {
                    names.add(o.path("metric").asText());
                }
            } catch (IOException e) {
                // not a record
            }
        }
        return names;
    }

    /** The records (non-blank lines) of one of the run's JSON Lines files; 0 if it does not exist. */
    public long recordCount(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (Stream<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    /**
     * Empties one of the run's JSON Lines files (for a run that starts again from step 0; hold the
     * {@link #lock}); returns how many records it held.
     */
    public long clearRecords(String name) throws IOException {
        long n = recordCount(name);
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.force(true);
            }
        }
        return n;
    }

    /** Appends one alarm or event to events.jsonl. */
    public void appendEvent(ObjectNode event) {
        appendLine(dir.resolve(EVENTS), event);
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void appendLine(Path file, JsonNode node) {
        ObjectMapper compact = new ObjectMapper();
        try {
            Files.writeString(file, compact.writeValueAsString(node) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- one process per run ----

    /** Run directories (real paths) this JVM holds locked: a second lock here must not open the file at all. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /** Channels that met a lock of this JVM taken outside {@link #lock}: kept open, as closing them would release it. */
    private static final List<FileChannel> PARKED = new CopyOnWriteArrayList<>();

    /**
     * An exclusive hold on a run directory: {@link #LOCK} locked with {@link FileChannel#tryLock}
     * and holding this process's PID. The operating system releases it when the process ends
     * however it ends, so the lock file of a dead process never blocks.
     */
    public static final class Lock implements AutoCloseable {
        private final Path key;
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(Path key, FileChannel channel, FileLock lock) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } finally {
                HELD.remove(key);
            }
        }
    }

    /**
     * Locks the run for this process (for a train or resume); release with {@link Lock#close}.
     *
     * @throws BadInputException "run DIR is in use by PID N" if another process (or this one) holds it
     */
    public Lock lock() throws IOException {
        Path key = dir.toRealPath();
        Path file = dir.resolve(LOCK);
        long self = ProcessHandle.current().pid();
        if (!HELD.add(key)) {
            throw inUse(file, Long.toString(self));
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // Held by this JVM through another channel; closing ours would release that lock too.
                PARKED.add(ch);
                ch = null;
                HELD.remove(key);
                throw inUse(file, Long.toString(self));
            }
            if (lock == null) {
                String pid = readPid(ch);
                ch.close();
                ch = null;
                HELD.remove(key);
                throw inUse(file, pid);
            }
            String mine = self + "\n";
            if (!readPid(ch).concat("\n").equals(mine)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(mine.getBytes(StandardCharsets.US_ASCII)), 0);
                ch.force(true);
            }
            Lock held = new Lock(key, ch, lock);
            ch = null;
            return held;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
                HELD.remove(key);
            }
            throw e;
        }
    }

    private BadInputException inUse(Path file, String pid) {
        return new BadInputException("run " + dir + " is in use by PID " + pid + " (which holds " + file + "); "
                + "only one gantry train or resume may run in a run directory at a time: wait for it to finish or stop it");
    }

    private static String readPid(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        String text = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
        return text.matches("\\d{1,19}") ? text : "?";
    }

    // ---- what an interrupted process leaves ----

    /**
     * Repairs what an interrupted train or resume can leave behind, before a resume appends to the
     * run; call it while holding the {@link #lock}. Removes orphan temporary files of interrupted
     * atomic writes (named as {@link AtomicFile} names them) in the run directory, {@code checkpoints/},
     * {@code samples/} and {@code report/}; and mends the last line of {@code stats.jsonl},
     * {@code metrics.jsonl} and {@code events.jsonl} if it lacks its newline: a complete JSON
     * object gets its newline, a torn one is cut off.
     *
     * @return one sentence per repair, for the user
     */
    public List<String> recover() throws IOException {
        List<String> done = new ArrayList<>();
        for (Path d : List.of(dir, checkpoints(), samples(), dir.resolve("report"))) {
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<Path> orphans;
            try (Stream<Path> s = Files.list(d)) {
                orphans = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && AtomicFile.isTemporary(p)).sorted().toList();
            }
            for (Path p : orphans) {
                long size = Files.size(p);
                Files.deleteIfExists(p);
                done.add("removed " + dir.relativize(p) + " (" + size + " bytes), the temporary file of an interrupted write");
            }
        }
        for (String name : List.of(STATS, METRICS, EVENTS)) {
            String repair = mendLastLine(dir.resolve(name));
            if (repair != null) {
                done.add(repair);
            }
        }
        return done;
    }

    /** Mends a JSON Lines file whose last line lacks its newline; returns what it did, or null. */
    static String mendLastLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return null;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, size - 1);
            if (one.get(0) == '\n') {
                return null;
            }
            long start = size;   // of the last line
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            search:
            while (start > 0) {
                long from = Math.max(0, start - buf.capacity());
                buf.clear().limit((int) (start - from));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, from + buf.position()) < 0) {
                        break;
                    }
                }
                for (int i = buf.position() - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        start = from + i + 1;
                        break search;
                    }
                }
                start = from;
            }
            if (size - start <= 1 << 20) {
                ByteBuffer last = ByteBuffer.allocate((int) (size - start));
                while (last.hasRemaining() && ch.read(last, start + last.position()) >= 0) {
                    // read it all
                }
                if (isJsonObject(new String(last.array(), StandardCharsets.UTF_8))) {
                    ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
                    ch.force(true);
                    return "completed the last line of " + file.getFileName() + " with its newline";
                }
            }
            ch.truncate(start);
            ch.force(true);
            return "removed the incomplete last line of " + file.getFileName() + " (" + (size - start)
                    + " bytes, cut off when the run was interrupted)";
        }
    }

    private static final ObjectMapper LENIENT = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static boolean isJsonObject(String line) {
        try {
            JsonNode node = LENIENT.readTree(line);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes a text file through a temporary file and a rename. */
    public static void writeAtomically(Path target, String content) throws IOException {
        dev.gantry.util.AtomicFile.writeString(target, content);
    }
}
