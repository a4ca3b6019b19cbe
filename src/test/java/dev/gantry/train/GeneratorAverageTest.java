package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.nn.Param;
import dev.gantry.run.Checkpoint;
import dev.gantry.util.Seeds;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * train.g_average: the moving average of G's parameters (Yazıcı et al. 2019) is the bias-corrected
 * exponential average of G's weights after each update, leaves the trajectory alone, survives a
 * resume, and is what the trainer and a checkpoint sample with.
 */
class GeneratorAverageTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static RunConfig tiny(String... more) {
        List<String> sets = new ArrayList<>(List.of("monitor.parzen_every=0"));
        sets.addAll(List.of(more));
        return ConfigLoader.load("tiny", null, sets);
    }

    /** G's and D's parameters after {@code epochs}, and G's after each of its updates. */
    private static List<float[]> train(RunConfig c, ImageSet data, int epochs, List<List<float[]>> gHistory, Path save) {
        try (GanTrainer t = new GanTrainer(c, data)) {
            if (gHistory != null) {
                t.addListener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingView tr, StepStats s) {
                        gHistory.add(t.generator().params().stream().map(p -> p.array().toFloatArray()).toList());
                    }
                });
            }
            t.train(epochs);
            if (save != null) {
                Checkpoint.save(t.state(), save);
            }
            List<float[]> all = new ArrayList<>();
            t.generator().params().forEach(p -> all.add(p.array().toFloatArray()));
            t.discriminator().params().forEach(p -> all.add(p.array().toFloatArray()));
            return all;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Each parameter of {@code averaged} (sampled values) is Σ_s a(1 − a)^(T−1−s) p_s / (1 − (1 − a)^T)
     * over the T recorded parameter lists p_s of {@code history}: the bias-corrected moving average.
     */
    static void assertBiasCorrectedAverage(List<Param> averaged, List<List<float[]>> history, double a) {
        int steps = history.size();
        double norm = 1 - Math.pow(1 - a, steps);
        for (int i = 0; i < averaged.size(); i++) {
            float[] got = averaged.get(i).array().toFloatArray();
            for (int j = 0; j < got.length; j += Math.max(1, got.length / 50)) {
                double expected = 0;
                for (int s = 0; s < steps; s++) {
                    expected += a * Math.pow(1 - a, steps - 1 - s) * history.get(s).get(i)[j];
                }
                expected /= norm;
                assertThat((double) got[j]).as("parameter %d, value %d", i, j)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(expected))));
            }
        }
    }

    /** Both schedules, and the hand-written backward pass as well as autograd's. */
    @ParameterizedTest
    @ValueSource(strings = {"train.schedule=simultaneous", "train.schedule=alternating", "train.backward=autograd"})
    void theAverageIsTheBiasCorrectedExponentialAverageOfGsWeightsAndChangesNoStep(String set, @TempDir Path dir) throws Exception {
        double a = 0.3;
        RunConfig with = tiny(set, "train.g_average=" + a);
        ImageSet data = Datasets.trainingSet(with, QUIET);
        List<List<float[]>> history = new ArrayList<>();
        Path ckptDir = dir.resolve("with");
        List<float[]> averagedRun = train(with, data, 2, history, ckptDir);
        List<float[]> plainRun = train(tiny(set), data, 2, null, null);
        // Keeping the average draws nothing and writes nothing the step reads: the same bits.
        for (int i = 0; i < plainRun.size(); i++) {
            assertThat(Arrays.equals(averagedRun.get(i), plainRun.get(i))).as("parameter %d", i).isTrue();
        }
        int updates = history.size();
        assertThat(updates).isEqualTo(20);   // one G update a step: 2 epochs of 200 / 20
        Path ckpt = Checkpoint.latest(ckptDir);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Param> averaged = Checkpoint.averagedGenerator(ckpt, m).params();
            assertBiasCorrectedAverage(averaged, history, a);
            assertThat(Arrays.equals(averaged.get(0).array().toFloatArray(), history.get(updates - 1).get(0))).isFalse();
            // The last weights are still there, unchanged.
            assertThat(Arrays.equals(Checkpoint.generator(ckpt, m).params().get(0).array().toFloatArray(), averagedRun.get(0))).isTrue();
        }
    }

    @Test
    void theTrainerSamplesTheAveragedGAsTheCheckpointDoes(@TempDir Path dir) throws Exception {
        RunConfig c = tiny("train.g_average=0.2");
        ImageSet data = Datasets.trainingSet(c, QUIET);
        float[] fromTrainer;
        float[] lastFromTrainer;
        Path ckpt;
        try (GanTrainer t = new GanTrainer(c, data)) {
            assertThat(t.keepsAveragedGenerator()).isTrue();
            assertThatThrownBy(() -> t.generateAveraged(4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("holds no update yet");
            t.train(1);
            ckpt = Checkpoint.save(t.state(), dir);
            Seeds.seedEngine(7, Seeds.EVAL, 0);
            fromTrainer = t.generateAveraged(30);
            Seeds.seedEngine(7, Seeds.EVAL, 0);
            lastFromTrainer = t.generate(30);
            assertThat(t.fixedSamplesAveraged()).hasSameSizeAs(t.fixedSamples());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(7, Seeds.EVAL, 0);
            float[] fromCheckpoint = dev.gantry.models.Sampler.generate(Checkpoint.averagedGenerator(ckpt, m), m, 30);
            assertThat(Arrays.equals(fromCheckpoint, fromTrainer)).isTrue();
        }
        // The same noise through different weights.
        assertThat(Arrays.equals(fromTrainer, lastFromTrainer)).isFalse();
    }

    @Test
    void theAverageSurvivesAResume(@TempDir Path dir) throws Exception {
        RunConfig c = tiny("train.g_average=0.1");
        ImageSet data = Datasets.trainingSet(c, QUIET);
        train(c, data, 2, null, dir.resolve("straight"));
        train(c, data, 1, null, dir.resolve("half"));
        Path half = Checkpoint.latest(dir.resolve("half"));
        try (GanTrainer t = new GanTrainer(Checkpoint.config(half), data)) {
            Checkpoint.restore(t, half);
            t.train(2);
            Checkpoint.save(t.state(), dir.resolve("resumed"));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            List<Param> x = Checkpoint.averagedGenerator(Checkpoint.latest(dir.resolve("straight")), m).params();
            List<Param> y = Checkpoint.averagedGenerator(Checkpoint.latest(dir.resolve("resumed")), m).params();
            for (int i = 0; i < x.size(); i++) {
                assertThat(Arrays.equals(y.get(i).array().toFloatArray(), x.get(i).array().toFloatArray())).as("averaged parameter %d", i).isTrue();
            }
        }
    }

    /**
     * resume --set train.g_average: the trainer restarts the average at the new rate; the steps
     * are those of the run that never changed it, and the checkpoint's average is the closed form
     * over G's weights after each update since the restart only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0.3", "0"})
    void aNewRateRestartsTheAverageFromTheNextUpdateAndChangesNoStep(String before, @TempDir Path dir) throws Exception {
        RunConfig c = tiny("train.g_average=" + before);
        ImageSet data = Datasets.trainingSet(c, QUIET);
        List<float[]> straight = train(c, data, 2, null, null);
        train(c, data, 1, null, dir.resolve("half"));
        Path half = Checkpoint.latest(dir.resolve("half"));
        double a = 0.1;
        List<List<float[]>> history = new ArrayList<>();
        List<float[]> resumed = new ArrayList<>();
        try (GanTrainer t = new GanTrainer(Checkpoint.config(half), data)) {
            Checkpoint.restore(t, half);
            t.restartAverageG(a);
            assertThat(t.config().train().gAverage()).isEqualTo(a);
            assertThatThrownBy(() -> t.generateAveraged(4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no update yet");
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(TrainingView tr, StepStats s) {
                    history.add(t.generator().params().stream().map(p -> p.array().toFloatArray()).toList());
                }
            });
            t.train(2);
            Checkpoint.save(t.state(), dir.resolve("resumed"));
            t.generator().params().forEach(p -> resumed.add(p.array().toFloatArray()));
            t.discriminator().params().forEach(p -> resumed.add(p.array().toFloatArray()));
        }
        for (int i = 0; i < straight.size(); i++) {
            assertThat(Arrays.equals(resumed.get(i), straight.get(i))).as("parameter %d", i).isTrue();
        }
        assertThat(history).hasSize(10);
        Path ckpt = Checkpoint.latest(dir.resolve("resumed"));
        assertThat(Checkpoint.readMeta(ckpt).get(Checkpoint.AVERAGE_UPDATES_G).asLong()).isEqualTo(10);
        assertThat(Checkpoint.readMeta(ckpt).get("updates_g").asLong()).isEqualTo(20);
        assertThat(Checkpoint.config(ckpt).train().gAverage()).isEqualTo(a);
        try (NDManager m = NDManager.newBaseManager()) {
            assertBiasCorrectedAverage(Checkpoint.averagedGenerator(ckpt, m).params(), history, a);
        }
        // A restored checkpoint goes on with the restarted average's count, not G's.
        try (GanTrainer t = new GanTrainer(Checkpoint.config(ckpt), data)) {
            Checkpoint.restore(t, ckpt);
            Path again = Checkpoint.save(t.state(), dir.resolve("again"));
            assertThat(Checkpoint.readMeta(again).get(Checkpoint.AVERAGE_UPDATES_G).asLong()).isEqualTo(10);
        }
    }

    @Test
    void aRateOfZeroOnResumeKeepsNoAverageFromThenOn(@TempDir Path dir) throws Exception {
        RunConfig c = tiny("train.g_average=0.3");
        ImageSet data = Datasets.trainingSet(c, QUIET);
        train(c, data, 1, null, dir.resolve("half"));
        Path half = Checkpoint.latest(dir.resolve("half"));
        try (GanTrainer t = new GanTrainer(Checkpoint.config(half), data)) {
            Checkpoint.restore(t, half);
            t.restartAverageG(0);
            assertThat(t.keepsAveragedGenerator()).isFalse();
            t.train(2);
            Checkpoint.save(t.state(), dir.resolve("resumed"));
        }
        Path ckpt = Checkpoint.latest(dir.resolve("resumed"));
        assertThat(Checkpoint.keepsAveragedGenerator(ckpt)).isFalse();
        assertThat(Checkpoint.readMeta(ckpt).has(Checkpoint.AVERAGE_UPDATES_G)).isFalse();
        assertThat(Checkpoint.keepsAveragedGenerator(half)).isTrue();   // the earlier checkpoint keeps its average
    }

    @Test
    void aRunWithoutAnAverageSaysSoAndBadRatesAreRefused(@TempDir Path dir) throws Exception {
        RunConfig c = tiny();
        ImageSet data = Datasets.trainingSet(c, QUIET);
        train(c, data, 1, null, dir);
        Path none = Checkpoint.latest(dir);
        assertThat(Checkpoint.keepsAveragedGenerator(none)).isFalse();
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Checkpoint.averagedGenerator(none, m))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("train.g_average = 0");
        }
        for (String bad : List.of("1", "-0.1", "NaN")) {
            assertThatThrownBy(() -> tiny("train.g_average=" + bad)).isInstanceOf(BadInputException.class).hasMessageContaining("train.g_average");
        }
    }
}
