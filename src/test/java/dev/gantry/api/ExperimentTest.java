package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.BadInputException;
import dev.gantry.cli.Main;
import dev.gantry.config.ConfigLoader;
import dev.gantry.data.format.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API end to end on the tiny preset: train with a listener, restore, sample, evaluate; and its answers to bad input. */
class ExperimentTest {

    @TempDir
    static Path shared;
    static Path run;
    static TrainingResult result;
    static final List<Progress> epochs = new ArrayList<>();
    static final List<Progress> stats = new ArrayList<>();
    static final List<TrainingResult.Outcome> ends = new ArrayList<>();

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("api-run");
        Experiment e = Experiment.builder()
                .setPreset("tiny")
                .optSet("train.stats_every", 5)
                .optEpochs(2)
                .optSeed(7)
                .optRunDirectory(run)
                .optListener(TrainingListener.everyEpoch(epochs::add))
                .optListener(new TrainingListener() {
                    @Override
                    public void onStats(Progress p) {
                        stats.add(p);
                    }

                    @Override
                    public void onEnd(Progress p, TrainingResult.Outcome outcome) {
                        ends.add(outcome);
                    }
                })
                .build();
        result = e.train();
    }

    @Test
    void trainsIntoTheRunDirectoryAsTheCommandLineDoes() throws Exception {
        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.FINISHED);
        assertThat(result.runDirectory()).isEqualTo(run);
        // tiny: 200 fake images in minibatches of 20 = 10 steps an epoch.
        assertThat(result.epoch()).isEqualTo(2);
        assertThat(result.step()).isEqualTo(20);
        assertThat(result.checkpoint()).isEqualTo(run.resolve("checkpoints/step-000000020.ckpt")).isRegularFile();
        assertThat(result.lossD()).isFinite();
        for (String f : List.of("config.json", "provenance.json", "stats.jsonl", "metrics.jsonl", "report.html",
                "samples/epoch-0000.png", "samples/epoch-0002.png")) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        JsonNode config = ConfigLoader.mapper().readTree(run.resolve("config.json").toFile());
        assertThat(config.path("seed").asLong()).isEqualTo(7);
        assertThat(config.path("train").path("epochs").asInt()).isEqualTo(2);
        assertThat(Files.readString(run.resolve("provenance.json"))).contains("dev.gantry.api.Experiment: setPreset tiny");
    }

    @Test
    void theListenerSeesEveryEpochAndEveryStatistic() throws Exception {
        assertThat(epochs).extracting(Progress::epoch).containsExactly(1, 2);
        assertThat(epochs).extracting(Progress::step).containsExactly(10L, 20L);
        assertThat(epochs).allSatisfy(p -> assertThat(p.targetEpochs()).isEqualTo(2));
        assertThat(stats).extracting(Progress::step).containsExactly(5L, 10L, 15L, 20L);
        assertThat(ends).containsExactly(TrainingResult.Outcome.FINISHED);
        // What the listener saw is what stats.jsonl recorded.
        List<String> lines = Files.readAllLines(run.resolve("stats.jsonl"));
        assertThat(lines).hasSize(4);
        JsonNode last = ConfigLoader.mapper().readTree(lines.get(3));
        assertThat(stats.get(3).lossD()).isEqualTo(last.path("loss_d").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(stats.get(3).lossG()).isEqualTo(last.path("loss_g").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(result.lossG()).isEqualTo(stats.get(3).lossG());
    }

    @Test
    void theGeneratorSamplesWhatGantrySampleWrites() throws Exception {
        Path npy = shared.resolve("cli-samples.npy");
        assertThat(Main.run("sample", run.toString(), "--n", "12", "--seed", "3", "--out", npy.toString())).isZero();
        try (Generator g = result.generator()) {
            assertThat(g.step()).isEqualTo(20);
            assertThat(g.epoch()).isEqualTo(2);
            assertThat(new int[] {g.channels(), g.height(), g.width(), g.dim(), g.classes(), g.noiseDim()})
                    .containsExactly(1, 28, 28, 784, 0, 8);
            assertThat(g.dataName()).isEqualTo("fake");
            float[] x = g.sample(12, 3);
            assertThat(x).hasSize(12 * 784);
            for (float v : x) {
                assertThat(v).isBetween(0f, 1f);
            }
            assertThat(x).containsExactly(Npy.readFloat32(npy).data());
            assertThat(g.sample(12, 3)).containsExactly(x);
            assertThat(g.sample(12, 4)).isNotEqualTo(x);
        }
    }

    @Test
    void writesGridsAndSampleFilesButNeverOverwrites() throws Exception {
        try (Generator g = Generator.fromRun(run, 10)) {
            assertThat(g.step()).isEqualTo(10);
            Path png = g.writePng(shared.resolve("out/grid.png"), 9, 0);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).isNotNull();
            assertThat(img.getWidth()).isGreaterThanOrEqualTo(3 * 28 * 2);
            long size = Files.size(png);
            assertThatThrownBy(() -> g.writePng(png, 9, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("already exists");
            assertThat(Files.size(png)).isEqualTo(size);
            Path npy = g.writeNpy(shared.resolve("out/x.npy"), 5, 1);
            Npy.Matrix m = Npy.readFloat32(npy);
            assertThat(new int[] {m.rows(), m.cols()}).containsExactly(5, 784);
            assertThat(m.data()).containsExactly(g.sample(5, 1));
            assertThatThrownBy(() -> g.writeNpy(shared.resolve("out/x.png"), 5, 1)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("ending in .npy");
        }
    }

    @Test
    void evaluatesARegisteredMetricAsGantryEvalDoes() throws Exception {
        MetricResult r;
        try (Generator g = Generator.fromRun(run)) {
            r = g.evaluate("parzen10k");
        }
        assertThat(r.metric()).isEqualTo("parzen10k-test");
        assertThat(r.value()).isFinite();
        assertThat(r.fields()).containsKeys("se", "sigma", "samples").containsEntry("samples", 10_000);
        assertThat(Main.run("eval", "parzen10k", run.toString())).isZero();
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode cli = ConfigLoader.mapper().readTree(lines.get(lines.size() - 1));
        assertThat(cli.path("metric").asText()).isEqualTo("parzen10k-test");
        assertThat(r.value()).isEqualTo(cli.path("value").asDouble());
        assertThat(r.fields().get("sigma")).isEqualTo(cli.path("sigma").asDouble());
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> Experiment.builder().build()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("setPreset(NAME) or optConfigFile(FILE) is required").hasMessageContaining("paper-mnist");
        assertThatThrownBy(() -> Gantry.experiment("no-such-preset").build()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown preset 'no-such-preset'");
        assertThatThrownBy(() -> Gantry.experiment("tiny").optSet("train.epoch", 3).build()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown config key 'train.epoch'");
        assertThatThrownBy(() -> Gantry.experiment("tiny").optSet("optim.lr", "fast").build()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("optim.lr").hasMessageContaining("expected a number");
        assertThatThrownBy(() -> Gantry.experiment("tiny").optEpochs(0).build()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("train.epochs must be > 0");
        assertThatThrownBy(() -> Gantry.experiment("tiny").optSet("optim.lr", null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("optim.lr");
        assertThatThrownBy(() -> Gantry.experiment("tiny").build().get("optim.speed")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown config key 'optim.speed'");
        assertThatThrownBy(() -> Metrics.describe("parzen")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown metric 'parzen'").hasMessageContaining("parzen10k");
        assertThatThrownBy(() -> Generator.fromRun(shared.resolve("nowhere"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("nowhere").hasMessageContaining("not a directory");
        assertThatThrownBy(() -> Generator.fromRun(run, 7)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no checkpoint for step 7").hasMessageContaining("step-000000010.ckpt");
        assertThatThrownBy(() -> Metrics.evaluate("parzen10k", new float[784], 1, "fake")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("parzen10k needs 10000 samples, got 1");
    }

    @Test
    void aNonEmptyRunDirectoryIsNeverOverwritten() throws Exception {
        List<String> before;
        try (Stream<Path> s = Files.walk(run)) {
            before = s.map(p -> p + ":" + p.toFile().length()).sorted().toList();
        }
        Experiment again = Gantry.experiment("tiny").optRunDirectory(run).build();
        assertThatThrownBy(again::train).isInstanceOf(BadInputException.class)
                .hasMessageContaining(run.toString()).hasMessageContaining("never overwritten");
        try (Stream<Path> s = Files.walk(run)) {
            assertThat(s.map(p -> p + ":" + p.toFile().length()).sorted().toList()).isEqualTo(before);
        }
    }

    @Test
    void aListenerThatThrowsStopsTrainingWithItsExceptionAndTheEpochsCheckpointStays() {
        Path dir = shared.resolve("listener-throws");
        IllegalStateException boom = new IllegalStateException("the user's listener gave up");
        Experiment e = Gantry.experiment("tiny").optRunDirectory(dir).optSet("monitor.parzen_every", 0)
                .optListener(TrainingListener.everyEpoch(p -> {
                    throw boom;
                }))
                .build();
        assertThatThrownBy(e::train).isSameAs(boom);
        assertThat(dir.resolve("checkpoints/step-000000010.ckpt")).isRegularFile();
        assertThat(dir.resolve("checkpoints/step-000000020.ckpt")).doesNotExist();
    }

    @Test
    void theBuilderResolvesTheConfigAsTheCommandLine() {
        Experiment e = Gantry.experiment("tiny").optSet("optim.lr", 0.05).optSet("model.noise", "normal").optSeed(11).optEpochs(3).build();
        assertThat(e.get("optim.lr")).isEqualTo("0.05");
        assertThat(e.get("model.noise")).isEqualTo("normal");
        assertThat(e.seed()).isEqualTo(11);
        assertThat(e.epochs()).isEqualTo(3);
        assertThat(e.preset()).isEqualTo("tiny");
        assertThat(e.toJson()).isEqualTo(ConfigLoader.toJson(
                ConfigLoader.load("tiny", null, List.of("optim.lr=0.05", "model.noise=normal", "train.epochs=3", "seed=11"))));
        assertThat(Gantry.presets()).contains("paper-mnist", "tiny");
        assertThat(Gantry.metrics()).contains("parzen10k", "fid-lenet10k");
        assertThat(Metrics.samples("parzen10k")).isEqualTo(10_000);
    }
}
