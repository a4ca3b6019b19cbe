package dev.gantry.cli;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME} with a default of the command's choosing and {@code --set KEY=VALUE}
 * (repeatable): the config of a benchmark. A picocli mixin that the command creates with its
 * default, which help shows: {@code @Mixin PresetOptions config = new PresetOptions("toy-ring8");}.
 */
final class PresetOptions {

    @Option(names = "--preset", paramLabel = "NAME", description = "a named preset (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> sets = new ArrayList<>();

    /** @param defaultPreset the preset without {@code --preset} (picocli restores it before every parse) */
    PresetOptions(String defaultPreset) {
        this.preset = defaultPreset;
    }

    /**
     * The preset with every {@code --set}, then {@code more} (settings the command imposes), applied.
     *
     * @throws dev.gantry.BadInputException naming the preset or key that is wrong
     */
    RunConfig load(List<String> more) {
        List<String> all = new ArrayList<>(sets);
        all.addAll(more);
        return ConfigLoader.load(preset, null, all);
    }
}
