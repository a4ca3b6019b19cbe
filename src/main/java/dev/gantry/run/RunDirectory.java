package dev.gantry.run;

import dev.gantry.train.StepStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's directory: {@code config.json} and {@code provenance.json} written before the first
 * step, {@code stats.jsonl}, {@code metrics.jsonl}, {@code samples/} and {@code checkpoints/}
 * (layout in design.md). An existing run is never overwritten.
 */
public final class RunDirectory {

    public static final String CONFIG = "config.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String STATS = "stats.jsonl";
    public static final String METRICS = "metrics.jsonl";
    public static final String EVENTS = "events.jsonl";
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
                boolean empty;
                try (Stream<Path> s = Files.isDirectory(explicit) ? Files.list(explicit) : Stream.of(explicit)) {
                    empty = Files.isDirectory(explicit) && s.findAny().isEmpty();
                }
                if (!empty) {
                    throw new BadInputException("--run-dir " + explicit + " already exists and is not empty; "
                            + "a run directory is never overwritten (use `gantry resume " + explicit + "` to continue it)");
                }
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

    /** Writes a text file through a temporary file and a rename. */
    public static void writeAtomically(Path target, String content) throws IOException {
        dev.gantry.util.AtomicFile.writeString(target, content);
    }
}
