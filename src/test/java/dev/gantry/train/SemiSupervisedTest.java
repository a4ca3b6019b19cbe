package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import dev.gantry.run.Checkpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The semi-supervised GAN of Salimans et al. (2016): refusals, a D that learns the classes from few labels, exact resume. */
class SemiSupervisedTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static RunConfig tiny(String... more) {
        List<String> sets = new java.util.ArrayList<>(List.of("data.name=fake", "data.train_size=400", "data.labelled=20",
                "train.batch_size=20", "train.grid_side=4", "model.noise_dim=8"));
        sets.addAll(List.of(more));
        return ConfigLoader.load("ssgan-mnist", null, sets);
    }

    @ParameterizedTest
    @CsvSource({"model.arch=paper-mlp, model.arch = ssgan-mlp", "train.schedule=simultaneous, train.schedule must be alternating",
            "data.labelled=0, data.labelled must name"})
    void aSemiSupervisedConfigNeedsItsPartsNamingTheKey(String set, String why) {
        assertThatThrownBy(() -> tiny(set)).isInstanceOf(BadInputException.class).hasMessageContaining(why);
        assertThatThrownBy(() -> ConfigLoader.load("tiny", null, List.of("data.labelled=20")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("only by loss.name = semi-supervised");
    }

    @Test
    void labelledCountsThatAreNotBalancedAreRefused() {
        RunConfig c = tiny("data.labelled=25");
        ImageSet data = Datasets.trainingSet(c, QUIET);
        assertThatThrownBy(() -> new GanTrainer(c, data)).isInstanceOf(BadInputException.class).hasMessageContaining("multiple of the 10");
    }

    @Test
    void dLearnsTheClassesFromTwentyLabels() {
        RunConfig c = tiny("train.epochs=4");
        ImageSet data = Datasets.trainingSet(c, QUIET);
        ImageSet test = Datasets.load(c, Split.TEST, QUIET).slice(0, 500);
        try (GanTrainer t = new GanTrainer(c, data); NDManager m = NDManager.newBaseManager()) {
            t.train(4);
            NDArray x = m.create(test.pixels(), new Shape(500, 1, 28, 28));
            long[] predicted = t.discriminator().classLogits(x, null, true).argMax(1).toLongArray();
            int right = 0;
            for (int i = 0; i < 500; i++) {
                if (predicted[i] == test.label(i)) right++;
            }
            // The fake data's classes are bright patches at ten positions: two labels each suffice, far above chance (10 %).
            assertThat(right / 500.0).isGreaterThan(0.8);
        }
    }

    @Test
    void aSemiSupervisedRunResumesBitExactly(@TempDir Path dir) throws Exception {
        RunConfig c = tiny();
        ResumeTest.assertTwoEpochsResumeBitExactly(c, Datasets.trainingSet(c, QUIET), dir);
    }

    /**
     * train.d_average: the checkpoint's averaged D is Σ_s a(1 − a)^(T−s) p_s / (1 − (1 − a)^T) over
     * D's parameters p_s after each of its T updates (recorded here step by step), and a resumed run
     * keeps the same average.
     */
    @Test
    void theMovingAverageOfDIsTheBiasCorrectedExponentialAverageAndSurvivesAResume(@TempDir Path dir) throws Exception {
        double a = 0.3;
        RunConfig c = tiny("train.d_average=" + a);
        ImageSet data = Datasets.trainingSet(c, QUIET);
        List<List<float[]>> history = new java.util.ArrayList<>();
        Path straight;
        try (GanTrainer t = new GanTrainer(c, data)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(TrainingView tr, StepStats s) {
                    history.add(t.discriminator().params().stream().map(p -> p.array().toFloatArray()).toList());
                }
            });
            t.train(2);
            straight = Checkpoint.save(t.state(), dir.resolve("straight"));
        }
        int steps = history.size();
        assertThat(steps).isEqualTo(40);   // one D update a step: 2 epochs of 400 / 20
        try (NDManager m = NDManager.newBaseManager()) {
            List<dev.gantry.nn.Param> averaged = Checkpoint.averagedDiscriminator(straight, m).params();
            GeneratorAverageTest.assertBiasCorrectedAverage(averaged, history, a);
            // Not D's last weights.
            assertThat(averaged.get(0).array().toFloatArray()).isNotEqualTo(history.get(steps - 1).get(0));
        }
        Path half;
        try (GanTrainer t = new GanTrainer(c, data)) {
            t.train(1);
            half = Checkpoint.save(t.state(), dir.resolve("half"));
        }
        Path resumed;
        try (GanTrainer t = new GanTrainer(Checkpoint.config(half), data)) {
            Checkpoint.restore(t, half);
            t.train(2);
            resumed = Checkpoint.save(t.state(), dir.resolve("resumed"));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            List<dev.gantry.nn.Param> x = Checkpoint.averagedDiscriminator(straight, m).params();
            List<dev.gantry.nn.Param> y = Checkpoint.averagedDiscriminator(resumed, m).params();
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.get(i).array().toFloatArray()).as("averaged parameter %d", i).isEqualTo(x.get(i).array().toFloatArray());
            }
        }
        // A run without an average says so.
        try (GanTrainer t = new GanTrainer(tiny("train.d_average=0"), data)) {
            t.train(1);
            Path none = Checkpoint.save(t.state(), dir.resolve("none"));
            try (NDManager m = NDManager.newBaseManager()) {
                assertThatThrownBy(() -> Checkpoint.averagedDiscriminator(none, m))
                        .isInstanceOf(BadInputException.class).hasMessageContaining("train.d_average = 0");
            }
        }
        assertThatThrownBy(() -> tiny("train.d_average=1")).isInstanceOf(BadInputException.class).hasMessageContaining("train.d_average");
    }
}
