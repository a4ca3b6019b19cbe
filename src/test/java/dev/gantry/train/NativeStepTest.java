package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.nn.Kernels;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native step ({@code train.backward = native}, {@link NativeStep}) against the hand-written one
 * it fuses: from the same seed, the same draws, so after a few steps every parameter and buffer must
 * agree up to the rounding of sums taken in another order (the bias gradients' column sums, the logit
 * layer's dot product, the momentum applied inside the weight-gradient product).
 */
class NativeStepTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @BeforeAll
    static void kernelsBuilt() {
        // The build compiles the kernels wherever gcc is (every machine of this project has it); a
        // machine without gcc runs the hand step, and this class says so instead of passing.
        assumeTrue(Kernels.available() || System.getenv("GANTRY_REQUIRE_NATIVE") == null,
                () -> "native kernels: " + Kernels.unavailableReason());
        assertThat(Kernels.available()).as("native kernels: %s", Kernels.unavailableReason()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // The paper's networks: dropout, maxout, per-pixel sigmoid bias, SGD with the momentum schedule.
            "paper-mnist|data.name=fake,data.train_size=400,train.epochs=2",
            // The momentum past its first rise, a decaying learning rate, G's and D's averages kept.
            "paper-mnist|data.name=fake,data.train_size=300,train.epochs=4,train.g_average=0.01,train.d_average=0.01",
            // The loss family through the same kernels, on the tiny nets (no dropout on the input: keep 1).
            "tiny|loss.name=hinge,train.epochs=2",
            "tiny|loss.name=least-squares,train.epochs=2,model.d_keep_input=1",
            "tiny|loss.generator=minimax,train.epochs=2,model.g_layers=3",
            // PacGAN's 2D networks: batch-normalised G, linear output, no dropout, Algorithm 1 (SGD: see
            // HandBackwardTest on Adam and the bias before batch norm).
            "toy-ring8|data.train_size=1000,train.epochs=1,optim.name=sgd,optim.lr=0.01",
            // Adam, Algorithm 1 with k = 2, and WGAN's clipping after each D step.
            "tiny|loss.name=least-squares,optim.name=adam,optim.lr=0.001,train.schedule=alternating,train.k=2",
            "tiny|loss.name=wasserstein,loss.clip=0.05,train.schedule=alternating,train.k=3",
            // Batch norm in the simultaneous update.
            "tiny|model.g_batch_norm=true,train.epochs=2"})
    void nativeAndHandAgreeUpToRounding(String spec) {
        String[] parts = spec.split("\\|");
        List<String> sets = new ArrayList<>(List.of(parts[1].split(",")));
        sets.add("train.dropout_draws=engine");                      // the hand step's draws
        assertThat(backwardInUse(parts[0], sets, "native")).isEqualTo("native");
        List<float[]> fused = HandBackwardTest.trained(parts[0], sets, "native", true);
        List<float[]> hand = HandBackwardTest.trained(parts[0], sets, "hand", true);
        assertThat(HandBackwardTest.maxRelativeDifference(hand, fused)).as(spec).isLessThan(1e-4);
    }

    @Test
    void theTrajectoryDoesNotDependOnHowOftenStatisticsAreRead() {
        // Statistics steps compute the weight gradients once more for their norms; the update is the same.
        List<String> base = List.of("data.name=fake", "data.train_size=300", "train.epochs=2");
        List<String> every = new ArrayList<>(base);
        every.add("train.stats_every=1");
        List<String> rarely = new ArrayList<>(base);
        rarely.add("train.stats_every=1000");
        List<float[]> a = HandBackwardTest.trained("paper-mnist", every, "native", true);
        List<float[]> b = HandBackwardTest.trained("paper-mnist", rarely, "native", true);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            // Arrays.equals, not containsExactly: AssertJ diffs the arrays element by element first (quadratic).
            assertThat(java.util.Arrays.equals(a.get(i), b.get(i))).as("array %d bit for bit", i).isTrue();
        }
    }

    @Test
    void nativeDrawsAreSeededAndChangeOnlyTheDraws() {
        List<String> sets = List.of("data.name=fake", "data.train_size=300", "train.epochs=2");
        List<float[]> a = HandBackwardTest.trained("paper-mnist", sets, "native", true);
        List<float[]> b = HandBackwardTest.trained("paper-mnist", sets, "native", true);
        for (int i = 0; i < a.size(); i++) {
            assertThat(java.util.Arrays.equals(a.get(i), b.get(i))).as("array %d, same seed", i).isTrue();
        }
        List<String> engine = new ArrayList<>(sets);
        engine.add("train.dropout_draws=engine");
        List<float[]> e = HandBackwardTest.trained("paper-mnist", engine, "native", true);
        // Other draws, another trajectory: not a rounding difference.
        assertThat(HandBackwardTest.maxRelativeDifference(e, a)).isGreaterThan(1e-3);
        List<String> seed = new ArrayList<>(sets);
        seed.add("seed=99");
        List<float[]> c = HandBackwardTest.trained("paper-mnist", seed, "native", true);
        assertThat(HandBackwardTest.maxRelativeDifference(c, a)).isGreaterThan(1e-3);
    }

    @Test
    void statisticsAgreeWithTheHandStep() {
        List<String> sets = List.of("data.name=fake", "data.train_size=100", "train.epochs=1", "train.stats_every=1",
                "monitor.parzen_every=0", "train.dropout_draws=engine");
        StepStats fused = lastStats("paper-mnist", sets, "native");
        StepStats hand = lastStats("paper-mnist", sets, "hand");
        assertThat(fused.gradNormD()).isCloseTo(hand.gradNormD(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(fused.gradNormG()).isCloseTo(hand.gradNormG(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(fused.lossD()).isCloseTo(hand.lossD(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(fused.lossG()).isCloseTo(hand.lossG(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(fused.dReal()).isCloseTo(hand.dReal(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(fused.dFake()).isCloseTo(hand.dFake(), org.assertj.core.data.Percentage.withPercentage(1e-3));
    }

    @Test
    void whereTheKernelsDoNotApplyTheStepIsTheHandOne() {
        assertThat(backwardInUse("paper-mnist", List.of("data.name=fake", "data.train_size=200"), "native")).isEqualTo("native");
        // Batch-normalised G, Adam, Algorithm 1: native too.
        assertThat(backwardInUse("toy-ring8", List.of("data.train_size=200"), "native")).isEqualTo("native");
        assertThat(backwardInUse("tiny", List.of("optim.name=adam"), "native")).isEqualTo("native");
        assertThat(backwardInUse("tiny", List.of("train.schedule=alternating"), "native")).isEqualTo("native");
        // Where no hand pass exists, autograd, as for train.backward = hand.
        assertThat(backwardInUse("tiny", List.of("model.d_spectral_norm=true"), "native")).isEqualTo("autograd");
        assertThat(backwardInUse("tiny-dcgan", List.of(), "native")).isEqualTo("autograd");
        assertThat(backwardInUse("tiny", List.of(), "hand")).isEqualTo("hand");
        assertThat(backwardInUse("tiny", List.of(), "autograd")).isEqualTo("autograd");
    }

    private static String backwardInUse(String preset, List<String> sets, String backward) {
        List<String> all = new ArrayList<>(sets);
        all.add("train.backward=" + backward);
        RunConfig c = ConfigLoader.load(preset, null, all);
        try (GanTrainer t = new GanTrainer(c, Datasets.trainingSet(c, QUIET))) {
            return t.backwardInUse();
        }
    }

    private static StepStats lastStats(String preset, List<String> sets, String backward) {
        List<String> all = new ArrayList<>(sets);
        all.add("train.backward=" + backward);
        RunConfig c = ConfigLoader.load(preset, null, all);
        List<StepStats> seen = new ArrayList<>();
        try (GanTrainer t = new GanTrainer(c, Datasets.trainingSet(c, QUIET))) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(TrainingView trainer, StepStats s) {
                    if (s != null) {
                        seen.add(s);
                    }
                }
            });
            t.train(1);
        }
        assertThat(seen).isNotEmpty();
        return seen.get(seen.size() - 1);
    }
}
