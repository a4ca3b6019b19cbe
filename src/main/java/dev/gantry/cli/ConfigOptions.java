package dev.gantry.cli;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME}, {@code --config FILE} and {@code --set KEY=VALUE} (repeatable): the config
 * of a new run, as {@code gantry train} and {@code gantry config show} take it. A picocli mixin:
 * {@code @Mixin ConfigOptions config;}.
 */
final class ConfigOptions {

    /** The preset when neither {@code --preset} nor {@code --config} is given. */
    static final String DEFAULT_PRESET = "paper-mnist";

    @Option(names = "--preset", paramLabel = "NAME", description = "a named preset (default paper-mnist unless --config is given)")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "a JSON config file (may say \"extends\": \"PRESET\")")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key, e.g. --set optim.lr=0.05 (repeatable)")
    List<String> sets = new ArrayList<>();

    /**
     * The resolved config: the preset, then the file, then every {@code --set}, then {@code more}
     * (settings a command derives from its own options, e.g. {@code seed=S}), each over the one before.
     *
     * @throws dev.gantry.BadInputException naming the preset, file or key that is wrong
     */
    RunConfig load(List<String> more) {
        List<String> all = new ArrayList<>(sets);
        all.addAll(more);
        String name = preset == null && configFile == null ? DEFAULT_PRESET : preset;
        return ConfigLoader.load(name, configFile, all);
    }

    /** The options as given, for provenance: {@code --preset X}, {@code --config F}, {@code --set K=V}, ... */
    List<String> args() {
        List<String> args = new ArrayList<>();
        if (preset != null) args.add("--preset " + preset);
        if (configFile != null) args.add("--config " + configFile);
        sets.forEach(s -> args.add("--set " + s));
        return args;
    }
}
