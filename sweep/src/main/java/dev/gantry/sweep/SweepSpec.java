package dev.gantry.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A sweep file (SWEEP.json): a base config, a grid of overrides and a list of seeds. Its trials are
 * the grid's cartesian product × the seeds; each trial is one {@code gantry train} run.
 *
 * <pre>
 * {
 *   "preset": "toy-ring8",                       // or "config": "my.json" (relative to this file)
 *   "set": {"train.epochs": 2},                  // overrides for every trial
 *   "grid": {
 *     "train.k": [1, 2, 5],                      // an axis over one config key
 *     "loss": {                                  // an axis of named bundles of overrides
 *       "non-saturating": {"loss.name": "gan", "loss.generator": "non-saturating"},
 *       "hinge": {"loss.name": "hinge"}
 *     }
 *   },
 *   "seeds": [1, 2, 3, 4, 5],
 *   "metrics": ["modes", "modes.high_quality"], // NAME or NAME.FIELD of metrics.jsonl records
 *   "threads_per_trial": 1, "retries": 1, "trial_memory": "2g"
 * }
 * </pre>
 *
 * <p>Every cell's config is resolved here (keys, types and ranges checked by Gantry's own loader),
 * so a wrong key fails the whole sweep before anything starts.
 */
public final class SweepSpec {

    static final Set<String> KEYS = Set.of("preset", "config", "set", "grid", "seeds", "metrics",
            "threads_per_trial", "retries", "trial_memory");
    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*[mMgG]");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_]+)?");

    /** One axis of the grid: a name and its values, each a label and the overrides it stands for. */
    public record Axis(String name, List<String> labels, List<Map<String, String>> settings) {}

    private final Path file;
    private final String preset;
    private final Path config;
    private final Map<String, String> set;
    private final List<Axis> grid;
    private final List<Long> seeds;
    private final List<String> metrics;
    private final int threadsPerTrial;
    private final int retries;
    private final String trialMemory;
    private final String text;

    private SweepSpec(Path file, JsonNode root, String text) {
        this.file = file;
        this.text = text;
        if (!(root instanceof ObjectNode obj)) {
            throw bad("expected a JSON object");
        }
        for (var it = obj.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw bad("unknown key '" + key + "' (expected some of: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        preset = optionalText(obj, "preset");
        String configName = optionalText(obj, "config");
        if (preset == null && configName == null) {
            throw bad("neither 'preset' nor 'config' is given (expected a preset name, e.g. \"toy-ring8\", or a config file)");
        }
        if (preset != null && !ConfigLoader.PRESETS.contains(preset)) {
            throw bad("preset: unknown preset '" + preset + "' (expected one of: " + String.join(", ", ConfigLoader.PRESETS) + ")");
        }
        if (configName != null) {
            Path dir = file.toAbsolutePath().getParent();
            config = dir.resolve(configName).normalize();
            if (!Files.isRegularFile(config)) {
                throw bad("config: no such file " + config);
            }
        } else {
            config = null;
        }
        set = settings(obj.get("set"), "set");
        grid = grid(obj.get("grid"));
        seeds = seeds(obj.get("seeds"));
        metrics = metrics(obj.get("metrics"));
        threadsPerTrial = positiveInt(obj, "threads_per_trial", 1, 1);
        retries = positiveInt(obj, "retries", 1, 0);
        String mem = optionalText(obj, "trial_memory");
        if (mem != null && !MEMORY.matcher(mem).matches()) {
            throw bad("trial_memory: expected a JVM heap size like \"2g\" or \"768m\", got \"" + mem + "\"");
        }
        trialMemory = mem == null ? "2g" : mem;
        checkKeysAreDisjoint();
        for (Trial cell : cells()) {
            List<String> sets = new ArrayList<>(cell.sets());
            sets.add("seed=" + seeds.get(0));
            try {
                ConfigLoader.load(preset, config, sets);
            } catch (BadInputException e) {
                throw bad("cell " + cell.cell() + ": " + e.getMessage());
            }
        }
    }

    /** Reads and checks a sweep file; every problem is a {@link BadInputException} naming the file and key. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file (expected a sweep file, e.g. sweep.json)");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = ConfigLoader.mapper().readTree(text);
        } catch (IOException e) {
            throw new BadInputException(file + ": not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null) {
            throw new BadInputException(file + ": empty file (expected a JSON object)");
        }
        return new SweepSpec(file, root, text);
    }

    private BadInputException bad(String what) {
        return new BadInputException(file + ": " + what);
    }

    private String optionalText(ObjectNode obj, String key) {
        JsonNode n = obj.get(key);
        if (n == null) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw bad(key + ": expected a non-empty string, got " + n);
        }
        return n.asText();
    }

    private int positiveInt(ObjectNode obj, String key, int dflt, int min) {
        JsonNode n = obj.get(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > 1000) {
            throw bad(key + ": expected an integer from " + min + " to 1000, got " + n);
        }
        return n.asInt();
    }

    /** A flat object of dotted config keys to scalars. */
    private Map<String, String> settings(JsonNode n, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw bad(where + ": expected an object of config keys to values, e.g. {\"train.epochs\": 3}, got " + n);
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), scalar(e.getValue(), where + "." + e.getKey()));
        }
        for (String key : out.keySet()) {
            checkKey(key, where + "." + key);
        }
        return out;
    }

    private void checkKey(String key, String where) {
        if (key.equals("seed")) {
            throw bad(where + ": the seed is set by 'seeds', not as an override");
        }
        if (!key.contains(".")) {
            throw bad(where + ": expected a dotted config key such as train.k (gantry config keys lists them)");
        }
    }

    private String scalar(JsonNode v, String where) {
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            String s = v.asText();
            if (s.isBlank() || s.contains("\n")) {
                throw bad(where + ": expected a value on one line, got " + v);
            }
            return s;
        }
        throw bad(where + ": expected a string, number or boolean, got " + v);
    }

    private List<Axis> grid(JsonNode n) {
        if (n == null) {
            throw bad("grid: missing (expected an object of axes, e.g. {\"train.k\": [1, 2, 5]})");
        }
        if (!n.isObject()) {
            throw bad("grid: expected an object of axes, e.g. {\"train.k\": [1, 2, 5]}, got " + n);
        }
        if (n.isEmpty()) {
            throw bad("grid: empty (expected at least one axis, e.g. {\"train.k\": [1, 2, 5]})");
        }
        List<Axis> axes = new ArrayList<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            JsonNode values = e.getValue();
            List<String> labels = new ArrayList<>();
            List<Map<String, String>> settings = new ArrayList<>();
            if (values.isArray()) {
                checkKey(name, "grid." + name);
                for (JsonNode v : values) {
                    String s = scalar(v, "grid." + name);
                    labels.add(s);
                    settings.add(Map.of(name, s));
                }
            } else if (values.isObject()) {
                for (var vit = values.fields(); vit.hasNext(); ) {
                    var ve = vit.next();
                    labels.add(ve.getKey());
                    Map<String, String> bundle = settings(ve.getValue(), "grid." + name + "." + ve.getKey());
                    if (bundle.isEmpty()) {
                        throw bad("grid." + name + "." + ve.getKey() + ": empty (expected at least one config key)");
                    }
                    settings.add(bundle);
                }
            } else {
                throw bad("grid." + name + ": expected a list of values, or an object of named override bundles, got " + values);
            }
            if (labels.isEmpty()) {
                throw bad("grid." + name + ": empty (expected at least one value)");
            }
            if (new LinkedHashSet<>(labels).size() != labels.size()) {
                throw bad("grid." + name + ": a value is listed twice: " + labels);
            }
            axes.add(new Axis(name, List.copyOf(labels), List.copyOf(settings)));
        }
        return List.copyOf(axes);
    }

    private List<Long> seeds(JsonNode n) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw bad("seeds: expected a non-empty list of integer seeds, e.g. [1, 2, 3], got " + n);
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isIntegralNumber() || s.asLong() < 0) {
                throw bad("seeds: expected non-negative integers, got " + s);
            }
            if (out.contains(s.asLong())) {
                throw bad("seeds: seed " + s.asLong() + " is listed twice");
            }
            out.add(s.asLong());
        }
        return List.copyOf(out);
    }

    private List<String> metrics(JsonNode n) {
        if (n == null) {
            return List.of();
        }
        if (!n.isArray() || n.isEmpty()) {
            throw bad("metrics: expected a non-empty list such as [\"modes\", \"modes.high_quality\"], got " + n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode m : n) {
            if (!m.isTextual() || !METRIC.matcher(m.asText()).matches()) {
                throw bad("metrics: expected NAME or NAME.FIELD of a metrics.jsonl record (e.g. \"modes\", \"modes.reverse_kl\"), got " + m);
            }
            out.add(m.asText());
        }
        return List.copyOf(out);
    }

    /** No key may be set twice (by 'set' and an axis, or by two axes): which one wins would be a guess. */
    private void checkKeysAreDisjoint() {
        Map<String, String> owner = new HashMap<>();
        set.keySet().forEach(k -> owner.put(k, "set"));
        for (Axis a : grid) {
            Set<String> keys = new LinkedHashSet<>();
            a.settings().forEach(m -> keys.addAll(m.keySet()));
            for (String k : keys) {
                String before = owner.putIfAbsent(k, "grid." + a.name());
                if (before != null) {
                    throw bad("grid." + a.name() + ": key " + k + " is also set by " + before + " (each key may be set in one place)");
                }
            }
        }
    }

    /** The grid's cells (seed 0 placeholders): the cartesian product of the axes, first axis slowest. */
    List<Trial> cells() {
        List<Trial> cells = new ArrayList<>();
        int[] index = new int[grid.size()];
        Map<String, Integer> shortNames = new HashMap<>();
        for (Axis a : grid) {
            shortNames.merge(shortName(a.name()), 1, Integer::sum);
        }
        while (true) {
            List<String> sets = new ArrayList<>();
            set.forEach((k, v) -> sets.add(k + "=" + v));
            Map<String, String> labels = new LinkedHashMap<>();
            List<String> nameParts = new ArrayList<>();
            for (int i = 0; i < grid.size(); i++) {
                Axis a = grid.get(i);
                a.settings().get(index[i]).forEach((k, v) -> sets.add(k + "=" + v));
                String label = a.labels().get(index[i]);
                labels.put(a.name(), label);
                String axisName = shortNames.get(shortName(a.name())) > 1 ? a.name() : shortName(a.name());
                nameParts.add(safe(axisName) + "-" + safe(label));
            }
            cells.add(new Trial(String.join("_", nameParts), labels, sets, 0));
            int i = grid.size() - 1;
            while (i >= 0 && ++index[i] == grid.get(i).labels().size()) {
                index[i] = 0;
                i--;
            }
            if (i < 0) {
                break;
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Trial c : cells) {
            if (!names.add(c.cell())) {
                throw bad("grid: two cells have the same directory name " + c.cell() + " (use labels that differ in letters or digits)");
            }
        }
        return cells;
    }

    /** Every trial: each cell with each seed, in that order. */
    public List<Trial> trials() {
        List<Trial> out = new ArrayList<>();
        for (Trial c : cells()) {
            for (long s : seeds) {
                out.add(new Trial(c.cell(), c.labels(), c.sets(), s));
            }
        }
        return out;
    }

    private static String shortName(String axis) {
        return axis.substring(axis.lastIndexOf('.') + 1);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9.+]", "-");
    }

    public Path file() {
        return file;
    }

    public String preset() {
        return preset;
    }

    public Path config() {
        return config;
    }

    public List<Axis> grid() {
        return grid;
    }

    public List<Long> seeds() {
        return seeds;
    }

    public List<String> metrics() {
        return metrics;
    }

    public int threadsPerTrial() {
        return threadsPerTrial;
    }

    public int retries() {
        return retries;
    }

    public String trialMemory() {
        return trialMemory;
    }

    /** The file as it was read. */
    public String text() {
        return text;
    }
}
