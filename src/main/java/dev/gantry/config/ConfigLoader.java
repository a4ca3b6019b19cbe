package dev.gantry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gantry.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resolves a {@link RunConfig} from the defaults, a preset, a config file and {@code --set} overrides.
 *
 * <p>Each layer may only name keys that exist in the defaults and must keep their types: an unknown
 * key, a string where a number belongs or a fraction where an integer belongs fails with the key's
 * dotted name and the file it came from. A preset or config file may start from another preset
 * with {@code "extends": "NAME"}. Files may contain {@code //} comments saying why a value differs.
 */
public final class ConfigLoader {

    /** Presets shipped in {@code presets/} (on the class path). */
    public static final List<String> PRESETS = List.of("paper-mnist", "paper-mnist-ema", "paper-mnist-ema-slow", "mnist-mlp-adam", "tiny", "toy-ring8", "toy-grid25",
            "dcgan-mnist", "dcgan-fashion", "dcgan-stacked-mnist", "dcgan-cifar10", "tiny-dcgan", "cgan-mnist", "cdcgan-mnist", "bigan-mnist", "ssgan-mnist");

    private static final ObjectMapper MAPPER = newMapper();

    private ConfigLoader() {}

    /** The JSON mapper used for configs and run files: snake_case keys, comments allowed, strict (duplicate keys refused). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        ObjectMapper m = new ObjectMapper();
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(JsonParser.Feature.ALLOW_COMMENTS);
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);   // a key given twice is refused, not "last wins"
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        return m;
    }

    /**
     * Resolves a config.
     *
     * @param preset a preset name, or null
     * @param configFile a JSON config file, or null
     * @param sets overrides of the form {@code section.key=value}
     */
    public static RunConfig load(String preset, Path configFile, List<String> sets) {
        ObjectNode tree = MAPPER.valueToTree(RunConfig.defaults());
        String name = "defaults";
        if (preset != null) {
            merge(tree, presetTree(preset, new ArrayList<>()), "", "preset " + preset);
            name = preset;
        }
        if (configFile != null) {
            ObjectNode file = readObject(configFile);
            resolveExtends(file, tree, configFile.toString(), new ArrayList<>());
            merge(tree, file, "", configFile.toString());
            name = tree.path("preset").asText(name);
            if (name.equals("defaults") || (preset != null && name.equals(preset))) {
                name = stripJson(configFile.getFileName().toString());
            }
        }
        tree.put("preset", name);
        for (String set : sets) {
            applySet(tree, set);
        }
        return fromTree(tree, "the resolved config");
    }

    /** Reads a config written by Gantry (e.g. a run's config.json), validating it. */
    public static RunConfig read(Path file) {
        return fromTree(written(readObject(file)), file.toString());
    }

    /** Reads a config embedded in another document (e.g. a checkpoint's meta.json), validating it. */
    public static RunConfig fromJson(JsonNode node, String source) {
        if (!(node instanceof ObjectNode obj)) {
            throw new BadInputException(source + ": expected a config object");
        }
        return fromTree(written(obj.deepCopy()), source);
    }

    /**
     * A config Gantry wrote names every key of its version. Keys added since then get the value
     * that reproduces what that version did, not today's default: before {@code
     * model.g_output_bias} existed, G's sigmoid bias started at one scalar; before {@code
     * train.backward} existed, every step's gradients came from the engine's autograd; before {@code
     * train.dropout_draws}, every dropout draw came from the engine's generator.
     */
    private static ObjectNode written(ObjectNode tree) {
        if (tree.get("model") instanceof ObjectNode model && !model.has("g_output_bias")) {
            model.put("g_output_bias", "scalar");
        }
        if (tree.get("train") instanceof ObjectNode train && !train.has("backward")) {
            train.put("backward", "autograd");
        }
        if (tree.get("train") instanceof ObjectNode train && !train.has("dropout_draws")) {
            train.put("dropout_draws", "engine");
        }
        return tree;
    }

    /** Writes a config as indented JSON. */
    public static String toJson(RunConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a copy of the config with {@code key=value} applied (same rules as {@code --set}). */
    public static RunConfig with(RunConfig config, String set) {
        ObjectNode tree = MAPPER.valueToTree(config);
        applySet(tree, set);
        return fromTree(tree, "the resolved config");
    }

    private static RunConfig fromTree(ObjectNode tree, String source) {
        ObjectNode defaults = MAPPER.valueToTree(RunConfig.defaults());
        ObjectNode checked = defaults.deepCopy();
        merge(checked, tree, "", source);
        try {
            return MAPPER.treeToValue(checked, RunConfig.class).validate();
        } catch (JsonProcessingException e) {
            throw new BadInputException("config " + source + ": " + e.getOriginalMessage());
        }
    }

    private static ObjectNode presetTree(String preset, List<String> chain) {
        if (chain.contains(preset)) {
            throw new BadInputException("preset " + preset + " extends itself (chain " + chain + ")");
        }
        chain.add(preset);
        String resource = "/presets/" + preset + ".json";
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null || !PRESETS.contains(preset)) {
                throw new BadInputException("unknown preset '" + preset + "' (expected one of " + String.join(", ", PRESETS) + ")");
            }
            JsonNode node = MAPPER.readTree(in);
            if (!(node instanceof ObjectNode obj)) {
                throw new BadInputException("preset " + preset + ": expected a JSON object");
            }
            ObjectNode base = MAPPER.valueToTree(RunConfig.defaults());
            resolveExtends(obj, base, "preset " + preset, chain);
            merge(base, obj, "", "preset " + preset);
            return base;
        } catch (IOException e) {
            throw new BadInputException("preset " + preset + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Applies and removes an {@code "extends"} key, merging the named preset into {@code base}. */
    private static void resolveExtends(ObjectNode obj, ObjectNode base, String source, List<String> chain) {
        JsonNode ext = obj.remove("extends");
        if (ext == null) return;
        if (!ext.isTextual()) {
            throw new BadInputException(source + ": key 'extends' must be a preset name (a string)");
        }
        merge(base, presetTree(ext.asText(), chain), "", "preset " + ext.asText());
    }

    private static ObjectNode readObject(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException("config file " + file + " is a directory; expected a JSON file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("config file " + file + " does not exist");
        }
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (!(node instanceof ObjectNode obj)) {
                throw new BadInputException("config file " + file + ": expected a JSON object");
            }
            return obj;
        } catch (IOException e) {
            throw new BadInputException("config file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Copies {@code overlay} onto {@code base}, refusing unknown keys and changes of type. */
    static void merge(ObjectNode base, JsonNode overlay, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = renamed(prefix, e.getKey());
            String key = prefix + field;
            JsonNode current = base.get(field);
            JsonNode value = e.getValue();
            if (current == null) {
                throw new BadInputException("unknown config key '" + key + "' in " + source);
            }
            if (current.isObject()) {
                if (!value.isObject()) {
                    throw new BadInputException("config key '" + key + "' in " + source + ": expected a section (JSON object)");
                }
                merge((ObjectNode) current, value, key + ".", source);
                continue;
            }
            checkType(key, current, value, source);
            base.set(field, value);
        }
    }

    /**
     * Keys renamed since configs were first written: {@code data.source} is now {@code data.name}.
     * Run directories and checkpoints made before the rename keep loading.
     */
    private static String renamed(String prefix, String field) {
        return prefix.equals("data.") && field.equals("source") ? "name" : field;
    }

    private static void checkType(String key, JsonNode current, JsonNode value, String source) {
        String expected = null;
        if (current.isIntegralNumber()) {
            if (!(value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())))) {
                expected = "an integer";
            }
        } else if (current.isNumber()) {
            if (!value.isNumber()) expected = "a number";
        } else if (current.isBoolean()) {
            if (!value.isBoolean()) expected = "true or false";
        } else if (current.isTextual()) {
            if (!value.isTextual()) expected = "a string";
        }
        if (expected == null && value.isNumber() && !Double.isFinite(value.asDouble())) {
            expected = "a finite number";   // 1e999 reads as Infinity
        }
        if (expected != null) {
            throw new BadInputException("config key '" + key + "' in " + source + ": expected " + expected + ", got " + value);
        }
    }

    private static void applySet(ObjectNode tree, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set '" + set + "': expected key=value, e.g. optim.lr=0.05");
        }
        String key = set.substring(0, eq).trim();
        String raw = set.substring(eq + 1).trim();
        String[] path = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (!(child instanceof ObjectNode obj)) {
                throw new BadInputException("--set: unknown config key '" + key + "'");
            }
            node = obj;
        }
        String leaf = renamed(key.substring(0, key.length() - path[path.length - 1].length()), path[path.length - 1]);
        JsonNode current = node.get(leaf);
        if (current == null) {
            throw new BadInputException("--set: unknown config key '" + key + "'");
        }
        if (current.isObject()) {
            throw new BadInputException("--set: '" + key + "' is a section; name one of its keys, e.g. " + key + "." + current.fieldNames().next());
        }
        JsonNode value;
        try {
            if (current.isIntegralNumber()) {
                value = LongNode.valueOf(Long.parseLong(raw));
            } else if (current.isNumber()) {
                value = DoubleNode.valueOf(Double.parseDouble(raw));
            } else if (current.isBoolean()) {
                if (!raw.equals("true") && !raw.equals("false")) throw new NumberFormatException(raw);
                value = BooleanNode.valueOf(Boolean.parseBoolean(raw));
            } else {
                value = TextNode.valueOf(raw);
            }
        } catch (NumberFormatException e) {
            String expected = current.isIntegralNumber() ? "an integer" : current.isNumber() ? "a number" : "true or false";
            throw new BadInputException("--set " + key + ": expected " + expected + ", got '" + raw + "'");
        }
        node.set(leaf, value);
    }

    private static String stripJson(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
