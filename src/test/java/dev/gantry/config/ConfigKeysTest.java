package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    @Test
    void everyKeyIsDescribedAndSettable() {
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            assertThat(k.description()).as(k.name()).isNotBlank();
            if (!k.name().equals("preset")) {
                String value = k.defaultValue().equals("\"\"") ? "" : k.defaultValue();   // an empty string is written ""
                if (k.name().equals("data.dir")) continue;
                RunConfig c = ConfigLoader.with(RunConfig.defaults(), k.name() + "=" + value);
                assertThat(c).as(k.name()).isEqualTo(RunConfig.defaults());
            }
        }
    }

    @Test
    void resumableKeysExist() {
        var names = ConfigKeys.all().stream().map(ConfigKeys.Key::name).toList();
        assertThat(names).containsAll(RunConfig.RESUMABLE_KEYS);
    }

    @Test
    void docsConfigPageIsUpToDate() throws Exception {
        assertThat(Files.readString(Path.of("docs/config.md")))
                .as("docs/config.md is stale: regenerate with ./gantry config keys --markdown > docs/config.md")
                .isEqualTo(ConfigKeys.markdown());
    }
}
