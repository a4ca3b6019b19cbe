package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void paperPresetIsThePaperSettings() {
        RunConfig c = ConfigLoader.load("paper-mnist", null, List.of());
        assertThat(c.preset()).isEqualTo("paper-mnist");
        assertThat(c.model().noiseDim()).isEqualTo(100);
        assertThat(c.model().gHidden()).isEqualTo(1200);
        assertThat(c.model().dUnits()).isEqualTo(240);
        assertThat(c.model().dPieces()).isEqualTo(5);
        assertThat(c.model().dKeepInput()).isEqualTo(0.8);
        assertThat(c.model().dKeepHidden()).isEqualTo(0.5);
        assertThat(c.optim().name()).isEqualTo("sgd");
        assertThat(c.optim().lr()).isEqualTo(0.1);
        assertThat(c.optim().lrDecay()).isEqualTo(1.000004);
        assertThat(c.train().batchSize()).isEqualTo(100);
        assertThat(c.train().schedule()).isEqualTo("simultaneous");
        assertThat(c.loss().generator()).isEqualTo("non-saturating");
        assertThat(c.loss().dScale()).isEqualTo(0.5);
        assertThat(c.data().trainSize()).isEqualTo(50_000);
        assertThat(c.model().gOutputBias()).isEqualTo("per_pixel");   // protocols.md §1, corrected in December 2026
    }

    @Test
    void aNumberTooLargeForADoubleIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"model\": {\"init_std\": 1e999}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load("dcgan-mnist", f, List.of()))
                .isInstanceOf(dev.gantry.BadInputException.class).hasMessageContaining("model.init_std").hasMessageContaining("finite");
        Files.writeString(f, "{\"train\": {\"epochs\": 1e999}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load("tiny", f, List.of()))
                .isInstanceOf(dev.gantry.BadInputException.class).hasMessageContaining("train.epochs");
    }

        @Test
    void aConfigWrittenBeforeThePerPixelBiasKeepsTheScalarItWasTrainedWith(@TempDir Path dir) throws Exception {
        RunConfig now = ConfigLoader.load("paper-mnist", null, List.of());
        com.fasterxml.jackson.databind.node.ObjectNode tree = ConfigLoader.mapper().valueToTree(now);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("model")).remove("g_output_bias");
        Path old = dir.resolve("config.json");
        Files.writeString(old, tree.toString());
        assertThat(ConfigLoader.read(old).model().gOutputBias()).isEqualTo("scalar");
        assertThat(ConfigLoader.fromJson(tree, "meta.json").model().gOutputBias()).isEqualTo("scalar");
        assertThat(ConfigLoader.read(old)).isEqualTo(ConfigLoader.with(now, "model.g_output_bias=scalar"));
        // A config that names the key keeps it.
        Files.writeString(old, ConfigLoader.toJson(now));
        assertThat(ConfigLoader.read(old).model().gOutputBias()).isEqualTo("per_pixel");
    }

    @Test
    void theAveragedPresetsTrainThePapersTrajectory() {
        // g_average changes no step, so these presets differ from paper-mnist in nothing that trains
        // except their length: the same model, loss, optimizer, data, seed and schedule.
        RunConfig paper = ConfigLoader.load("paper-mnist", null, List.of());
        for (String preset : List.of("paper-mnist-ema", "paper-mnist-ema-slow")) {
            RunConfig p = ConfigLoader.load(preset, null, List.of());
            assertThat(p.model()).as(preset).isEqualTo(paper.model());
            assertThat(p.loss()).as(preset).isEqualTo(paper.loss());
            assertThat(p.optim()).as(preset).isEqualTo(paper.optim());
            assertThat(p.data()).as(preset).isEqualTo(paper.data());
            assertThat(p.seed()).as(preset).isEqualTo(paper.seed());
            assertThat(p.train().gAverage()).as(preset).isPositive();
            var t = p.train();
            assertThat(new RunConfig.TrainConfig(paper.train().epochs(), t.batchSize(), t.schedule(), t.k(), t.statsEvery(),
                    t.checkpointKeep(), t.keepEvery(), t.gridSide(), t.backward(), t.dropoutDraws(), t.dAverage(), 0)).as(preset).isEqualTo(paper.train());
        }
        assertThat(ConfigLoader.load("paper-mnist-ema-slow", null, List.of()).train().gAverage()).isEqualTo(1e-4);
    }

    @Test
    void adamPresetExtendsPaperAndChangesOnlyTheOptimizerAndSchedule() {
        RunConfig paper = ConfigLoader.load("paper-mnist", null, List.of());
        RunConfig adam = ConfigLoader.load("mnist-mlp-adam", null, List.of());
        assertThat(adam.optim().name()).isEqualTo("adam");
        assertThat(adam.optim().beta1()).isEqualTo(0.5);
        assertThat(adam.train().schedule()).isEqualTo("alternating");
        assertThat(adam.model()).isEqualTo(paper.model());
        assertThat(adam.loss()).isEqualTo(paper.loss());
        assertThat(adam.data()).isEqualTo(paper.data());
    }

    @Test
    void everyPresetLoadsAndEveryPresetFileIsListed() throws Exception {
        for (String p : ConfigLoader.PRESETS) {
            assertThat(ConfigLoader.load(p, null, List.of()).preset()).isEqualTo(p);
        }
        try (var files = Files.list(Path.of("presets"))) {
            List<String> names = files.map(f -> f.getFileName().toString().replace(".json", "")).sorted().toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(ConfigLoader.PRESETS);
        }
    }

    @Test
    void setOverridesTypedValues() {
        RunConfig c = ConfigLoader.load("tiny", null, List.of("optim.lr=0.05", "train.k=3", "loss.generator=minimax", "seed=9"));
        assertThat(c.optim().lr()).isEqualTo(0.05);
        assertThat(c.train().k()).isEqualTo(3);
        assertThat(c.loss().generator()).isEqualTo("minimax");
        assertThat(c.seed()).isEqualTo(9);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "optim.learning_rate=0.1|optim.learning_rate",
            "optim.lr=fast|optim.lr",
            "optim.lr=-0.1|optim.lr",
            "train.batch_size=0|train.batch_size",
            "train.k=0|train.k",
            "train.k=1.5|train.k",
            "loss.generator=wasserstein|loss.generator",
            "model.d_keep_input=1.5|model.d_keep_input",
            "optim=3|optim",
            "nonsense|nonsense"})
    void badOverridesNameTheKey(String set, String key) {
        assertThatThrownBy(() -> ConfigLoader.load("tiny", null, List.of(set)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(key);
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        assertThatThrownBy(() -> ConfigLoader.load("paper-cifar", null, List.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("paper-cifar").hasMessageContaining("paper-mnist");
    }

    @Test
    void configFileMayExtendAPresetAndIsCheckedStrictly(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("mine.json");
        Files.writeString(good, "// why: a slower D\n{ \"extends\": \"tiny\", \"optim\": { \"lr\": 0.01 } }");
        RunConfig c = ConfigLoader.load(null, good, List.of());
        assertThat(c.optim().lr()).isEqualTo(0.01);
        assertThat(c.data().name()).isEqualTo("fake");
        assertThat(c.preset()).isEqualTo("mine");

        Path unknown = dir.resolve("unknown.json");
        Files.writeString(unknown, "{ \"optim\": { \"momentum_max\": 0.9 } }");
        assertThatThrownBy(() -> ConfigLoader.load(null, unknown, List.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("optim.momentum_max").hasMessageContaining("unknown.json");

        Path wrongType = dir.resolve("wrong.json");
        Files.writeString(wrongType, "{ \"train\": { \"epochs\": \"ten\" } }");
        assertThatThrownBy(() -> ConfigLoader.load(null, wrongType, List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("train.epochs");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{ \"train\": ");
        assertThatThrownBy(() -> ConfigLoader.load(null, broken, List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("broken.json");

        assertThatThrownBy(() -> ConfigLoader.load(null, dir.resolve("missing.json"), List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("missing.json");
    }

    /** Issue #12: a key given twice was accepted (the last one won, silently). */
    @Test
    void duplicateKeysAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path twice = dir.resolve("twice.json");
        Files.writeString(twice, "{ \"optim\": { \"lr\": 0.01, \"lr_decay\": 1.0, \"lr\": 0.2 } }");
        assertThatThrownBy(() -> ConfigLoader.load(null, twice, List.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("twice.json").hasMessageContaining("'lr'").hasMessageContaining("uplicate");
        Path sections = dir.resolve("sections.json");
        Files.writeString(sections, "{ \"train\": { \"epochs\": 3 }, \"train\": { \"k\": 2 } }");
        assertThatThrownBy(() -> ConfigLoader.load(null, sections, List.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("sections.json").hasMessageContaining("'train'");
        Path run = dir.resolve("config.json");
        Files.writeString(run, "{ \"seed\": 1, \"seed\": 2 }");
        assertThatThrownBy(() -> ConfigLoader.read(run)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("config.json").hasMessageContaining("'seed'");
    }

    @Test
    void aDirectoryGivenAsConfigFileIsReportedAsADirectory(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.json"));
        assertThatThrownBy(() -> ConfigLoader.load(null, d, List.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("conf.json").hasMessageContaining("is a directory")
                .hasMessageNotContaining("does not exist");
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) throws Exception {
        RunConfig c = ConfigLoader.load("mnist-mlp-adam", null, List.of("seed=77"));
        Path f = dir.resolve("config.json");
        Files.writeString(f, ConfigLoader.toJson(c));
        assertThat(ConfigLoader.read(f)).isEqualTo(c);
        assertThat(Files.readString(f)).contains("\"batch_size\" : 100").contains("\"d_keep_input\"");
    }
}
