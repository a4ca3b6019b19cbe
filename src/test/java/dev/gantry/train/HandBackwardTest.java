package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.nn.Param;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The hand-written backward passes ({@code train.backward = hand}) against the engine's autograd:
 * from the same seed, a few steps of each must leave every parameter and buffer equal up to the
 * rounding of a different order of floating-point sums (one pass over 2B rows instead of two of B,
 * the products laid out differently). The draws are the same, so nothing else may differ.
 */
class HandBackwardTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Every parameter and buffer of G and D after training {@code sets} with the given backward. */
    static List<float[]> trained(String preset, List<String> sets, String backward, boolean expectHand) {
        List<String> all = new ArrayList<>(sets);
        all.add("train.backward=" + backward);
        all.add("monitor.parzen_every=0");
        RunConfig c = ConfigLoader.load(preset, null, all);
        try (GanTrainer t = new GanTrainer(c, Datasets.trainingSet(c, QUIET))) {
            assertThat(t.usesHandBackward()).as("hand backward in use").isEqualTo(expectHand);
            assertThat(t.train(c.train().epochs())).isEqualTo(GanTrainer.Outcome.FINISHED);
            List<float[]> out = new ArrayList<>();
            t.generator().params().stream().map(Param::array).map(NDArray::toFloatArray).forEach(out::add);
            t.discriminator().params().stream().map(Param::array).map(NDArray::toFloatArray).forEach(out::add);
            t.generator().buffers().stream().map(NDArray::toFloatArray).forEach(out::add);
            t.discriminator().buffers().stream().map(NDArray::toFloatArray).forEach(out::add);
            return out;
        }
    }

    /**
     * Largest |a − b| of each array relative to the largest |a| of that array, floored at 1e−3 of
     * the largest |a| of all arrays (a bias that barely moved from 0 is compared on the network's
     * scale, not on its own), over all arrays.
     */
    static double maxRelativeDifference(List<float[]> a, List<float[]> b) {
        assertThat(a).hasSameSizeAs(b);
        double global = 0;
        for (float[] x : a) {
            for (float v : x) {
                global = Math.max(global, Math.abs(v));
            }
        }
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            assertThat(x.length).isEqualTo(y.length);
            double scale = 1e-3 * global;
            double diff = 0;
            for (int j = 0; j < x.length; j++) {
                scale = Math.max(scale, Math.abs(x[j]));
                diff = Math.max(diff, Math.abs(x[j] - y[j]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // The paper's networks (dropout, maxout, sigmoid output), SGD with momentum, simultaneous.
            "paper-mnist|data.name=fake,data.train_size=400,train.epochs=2",
            // Algorithm 1 with k = 2 on the same networks, minimax G loss.
            "paper-mnist|data.name=fake,data.train_size=400,train.epochs=1,train.schedule=alternating,train.k=2,loss.generator=minimax",
            // PacGAN's 2D networks: batch-normalised G, linear output, no dropout. SGD here: under Adam,
            // a bias before batch norm (whose gradient is 0 but for rounding) moves by ±lr whatever
            // the rounding, which says nothing about the backward pass.
            "toy-ring8|data.train_size=1000,train.epochs=1,optim.name=sgd,optim.lr=0.01",
            // The loss family: hinge, least squares with Adam, and WGAN with clipping, on the tiny nets.
            "tiny|loss.name=hinge,train.epochs=2",
            "tiny|loss.name=least-squares,optim.name=adam,optim.lr=0.001,train.schedule=alternating,train.k=2",
            "tiny|loss.name=wasserstein,loss.clip=0.05,train.schedule=alternating,train.k=3"})
    void handAndAutogradAgreeUpToRounding(String spec) {
        String[] parts = spec.split("\\|");
        List<String> sets = List.of(parts[1].split(","));
        List<float[]> hand = trained(parts[0], sets, "hand", true);
        List<float[]> auto = trained(parts[0], sets, "autograd", false);
        assertThat(maxRelativeDifference(hand, auto)).as(spec).isLessThan(1e-4);
    }

    @Test
    void modelsWithoutAHandBackwardFallBackToAutograd() {
        // Spectral norm, a gradient penalty, DCGAN: autograd, whatever train.backward says.
        assertThat(usesHand("tiny", List.of())).isTrue();
        assertThat(usesHand("tiny", List.of("model.d_spectral_norm=true"))).isFalse();
        assertThat(usesHand("tiny", List.of("loss.name=wasserstein", "loss.gp_weight=10", "train.schedule=alternating"))).isFalse();
        assertThat(usesHand("tiny-dcgan", List.of())).isFalse();
    }

    private static boolean usesHand(String preset, List<String> sets) {
        RunConfig c = ConfigLoader.load(preset, null, sets);
        try (GanTrainer t = new GanTrainer(c, Datasets.trainingSet(c, QUIET))) {
            return t.usesHandBackward();
        }
    }

    @Test
    void phaseTimesCoverTheStepsTheyWatched() {
        for (String backward : List.of("hand", "autograd")) {
            RunConfig c = ConfigLoader.load("tiny", null, List.of("train.backward=" + backward, "monitor.parzen_every=0"));
            try (GanTrainer t = new GanTrainer(c, Datasets.trainingSet(c, QUIET))) {
                PhaseTimes times = new PhaseTimes();
                t.timePhases(times);
                long t0 = System.nanoTime();
                t.train(1);
                double wallPerStep = (System.nanoTime() - t0) / 1e6 / t.stepsPerEpoch();
                var ms = times.perStepMillis();
                assertThat(ms).containsKeys("D update", "G update");
                assertThat(ms).containsKeys(backward.equals("hand")
                        ? new String[] {"G forward", "D forward", "D backward", "D input gradient", "G backward"}
                        : new String[] {"forward (autograd graph)", "backward (autograd)"});
                assertThat(ms.values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0.0));
                double sum = ms.values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(sum).as(backward).isPositive().isLessThanOrEqualTo(wallPerStep);
                t.timePhases(null);
                t.train(2);
                assertThat(times.perStepMillis()).isEqualTo(ms);     // not timing any more
            }
        }
    }

    @Test
    void configsWrittenBeforeTheKeyReadAsAutograd() throws Exception {
        RunConfig c = ConfigLoader.load("tiny", null, List.of());
        assertThat(c.train().backward()).isEqualTo("native");
        assertThat(c.train().dropoutDraws()).isEqualTo("native");
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) ConfigLoader.mapper().readTree(ConfigLoader.toJson(c));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("train")).remove("backward");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("train")).remove("dropout_draws");
        RunConfig old = ConfigLoader.fromJson(tree, "old config.json");
        assertThat(old.train().backward()).isEqualTo("autograd");
        assertThat(old.train().dropoutDraws()).isEqualTo("engine");
    }
}
