package dev.gantry.cli;

import dev.gantry.config.ConfigKeys;
import dev.gantry.config.ConfigLoader;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry config}: shows the keys and resolved configs. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Show config keys and resolved configs.",
        subcommands = {ConfigCommand.Keys.class, ConfigCommand.Show.class})
public final class ConfigCommand extends CommandGroup {

    /** {@code gantry config keys}. */
    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Every config key with its type, default and meaning.")
    public static final class Keys implements Callable<Integer> {
        @Option(names = "--markdown", description = "print the docs/config.md page")
        boolean markdown;

        @Override
        public Integer call() {
            if (markdown) {
                System.out.print(ConfigKeys.markdown());
            } else {
                for (ConfigKeys.Key k : ConfigKeys.all()) {
                    System.out.printf("%-32s %-8s %-16s %s%n", k.name(), k.type(), k.defaultValue(), k.description());
                }
            }
            return Main.OK;
        }
    }

    /** {@code gantry config show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the config a train command would use.")
    public static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            System.out.println(ConfigLoader.toJson(config.load(List.of())));
            return Main.OK;
        }
    }
}
