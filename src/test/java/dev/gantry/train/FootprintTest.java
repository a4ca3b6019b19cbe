package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory bounds of a run's sizes, from the config and the data's shape alone. */
class FootprintTest {

    // The largest, dcgan-stacked-mnist, needs 1.16 GB: 128,000 images of 3×28×28.
    @Test
    void everyShippedPresetFitsATwoGibHeap() {
        for (String preset : ConfigLoader.PRESETS) {
            RunConfig c = ConfigLoader.load(preset, null, List.of());
            assertThatCode(() -> Footprint.check(c, Datasets.of(c).shape(), 2L << 30)).as(preset).doesNotThrowAnyException();
        }
    }

    @Test
    void aHeapTooSmallForTheDataAndStateIsRefusedNamingTheHeapAndTheTrainingSet() {
        RunConfig c = ConfigLoader.load("paper-mnist", null, List.of());
        // 50,000 images × (784 × 4 + 8) bytes = 157 MB of data alone.
        assertThatThrownBy(() -> Footprint.check(c, Datasets.of(c).shape(), 100L << 20))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("maximum of 100 MiB").hasMessageContaining("data.train_size = 50000");
        assertThatCode(() -> Footprint.check(c, Datasets.of(c).shape(), 300L << 20)).doesNotThrowAnyException();
    }
}
