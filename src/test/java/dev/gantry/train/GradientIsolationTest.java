package dev.gantry.train;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static dev.gantry.nn.NdTestSupport.zeroGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.losses.AdversarialLoss;
import dev.gantry.losses.GanLoss;
import dev.gantry.models.Discriminator;
import dev.gantry.models.Generator;
import dev.gantry.models.Models;
import dev.gantry.nn.Param;
import dev.gantry.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GanTrainer's simultaneous step backpropagates lossD + lossG once and claims each network receives
 * only its own gradient (D: ∇_D lossD, G: ∇_G lossG). Checked here against two separate clean
 * computations on the tiny models, and end to end against one step of the trainer itself.
 */
class GradientIsolationTest {

    // The engine's dropout draws (the native step's own generator draws others, from one key a step):
    // the clean gradients below are computed with the trainer's draws, replayed in its order.
    private static final RunConfig TINY = ConfigLoader.load("tiny", null, List.of("train.dropout_draws=engine"));

    /** The fixed inputs of one step: a real batch, noise, and the dropout masks of the real and fake passes. */
    private record StepInputs(NDArray x, NDArray z, NDList realMasks, NDList fakeMasks) {}

    private static List<double[]> grads(List<Param> params) {
        List<double[]> out = new ArrayList<>();
        for (Param p : params) {
            out.add(grad(p.array()));
        }
        return out;
    }

    private static void zero(Generator g, Discriminator d) {
        g.params().forEach(p -> zeroGrad(p.array()));
        d.params().forEach(p -> zeroGrad(p.array()));
    }

    private static boolean allZero(List<double[]> grads) {
        return grads.stream().allMatch(a -> java.util.Arrays.stream(a).allMatch(v -> v == 0.0));
    }

    /** The trainer's trick: one backward over lossD + lossG (fake cut from G for D's term, D frozen for G's). */
    private static void combined(Generator g, Discriminator d, AdversarialLoss loss, StepInputs in, boolean cut) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray fake = g.forward(in.z(), false);
            NDArray lossD = loss.discriminator(d.logits(in.x(), in.realMasks(), false),
                    d.logits(cut ? fake.stopGradient() : fake, in.fakeMasks(), false));
            NDArray lossG = loss.generator(d.logits(fake, in.fakeMasks(), cut));
            gc.backward(lossD.add(lossG));
        }
    }

    /** lossD alone, G frozen: D's gradient and nothing else. */
    private static void discriminatorOnly(Generator g, Discriminator d, AdversarialLoss loss, StepInputs in) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray fake = g.forward(in.z(), true);
            gc.backward(loss.discriminator(d.logits(in.x(), in.realMasks(), false), d.logits(fake, in.fakeMasks(), false)));
        }
    }

    /** lossG alone, D frozen: G's gradient and nothing else. */
    private static void generatorOnly(Generator g, Discriminator d, AdversarialLoss loss, StepInputs in) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.generator(d.logits(g.forward(in.z(), false), in.fakeMasks(), true)));
        }
    }

    private static void assertClose(List<Param> params, List<double[]> actual, List<double[]> expected, String what) {
        for (int i = 0; i < params.size(); i++) {
            double[] a = actual.get(i);
            double[] e = expected.get(i);
            assertThat(a).as("%s: %s", what, params.get(i).name()).hasSameSizeAs(e);
            for (int j = 0; j < a.length; j++) {
                assertThat(a[j]).as("%s: %s[%d]", what, params.get(i).name(), j)
                        .isCloseTo(e[j], within(1e-6 + 1e-5 * Math.abs(e[j])));
            }
        }
    }

    @Test
    void oneBackwardOfTheSumGivesEachNetworkOnlyItsOwnGradient() {
        for (String objective : List.of("non-saturating", "minimax")) {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(17);
                Models.Pair pair = Models.build(m, TINY.model(), new dev.gantry.data.ImageShape(1, 28, 28), dev.gantry.models.PixelMeans.constant(0.2, 784));
                Generator g = pair.generator();
                Discriminator d = pair.discriminator();
                AdversarialLoss loss = GanLoss.of(objective, TINY.loss().dScale());
                int b = 8;
                StepInputs in = new StepInputs(m.randomUniform(0f, 1f, new Shape(b, 784)), g.sampleNoise(m, b),
                        d.sampleMasks(m, b), d.sampleMasks(m, b));

                combined(g, d, loss, in, true);
                List<double[]> combinedG = grads(g.params());
                List<double[]> combinedD = grads(d.params());
                zero(g, d);

                discriminatorOnly(g, d, loss, in);
                List<double[]> cleanD = grads(d.params());
                assertThat(allZero(grads(g.params()))).as("G frozen in D's computation").isTrue();
                zero(g, d);

                generatorOnly(g, d, loss, in);
                List<double[]> cleanG = grads(g.params());
                assertThat(allZero(grads(d.params()))).as("D frozen in G's computation").isTrue();
                zero(g, d);

                assertThat(allZero(cleanD)).isFalse();
                assertThat(allZero(cleanG)).isFalse();
                assertClose(d.params(), combinedD, cleanD, objective + ", D");
                assertClose(g.params(), combinedG, cleanG, objective + ", G");

                // Control: without the cut and the freeze, the same sum leaks across the networks,
                // so the comparison above can fail.
                combined(g, d, loss, in, false);
                List<double[]> leakyD = grads(d.params());
                List<double[]> leakyG = grads(g.params());
                zero(g, d);
                assertThat(maxAbsDiff(leakyD, cleanD)).as("leaky D differs").isGreaterThan(1e-4);
                assertThat(maxAbsDiff(leakyG, cleanG)).as("leaky G differs").isGreaterThan(1e-4);
            }
        }
    }

    private static double maxAbsDiff(List<double[]> a, List<double[]> b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return max;
    }

    /**
     * End to end: one simultaneous step of the trainer (SGD, μ·0 − lr·g with lr = 0.1) moves every
     * parameter by −0.1 × its clean gradient, computed here from the same batch, noise and masks.
     */
    @Test
    void oneTrainerStepAppliesTheCleanGradients() {
        ImageSet data = FakeImages.generate(TINY.data().trainSize(), 7);
        int b = TINY.train().batchSize();
        List<double[]> before = new ArrayList<>();
        List<double[]> gradsG;
        List<double[]> gradsD;
        try (GanTrainer ref = new GanTrainer(TINY, data); NDManager m = NDManager.newBaseManager()) {
            Generator g = ref.generator();
            Discriminator d = ref.discriminator();
            g.params().forEach(p -> before.add(toDoubles(p.array())));
            d.params().forEach(p -> before.add(toDoubles(p.array())));
            // The first batch of epoch 0, and the trainer's draws in its order: noise, real masks, fake masks.
            int[] order = ref.permutation(0);
            float[] pixels = new float[b * data.dim()];
            for (int i = 0; i < b; i++) {
                System.arraycopy(data.pixels(), order[i] * data.dim(), pixels, i * data.dim(), data.dim());
            }
            NDArray x = m.create(pixels, new Shape(b, data.dim()));
            Seeds.seedEngine(TINY.seed(), Seeds.STEP, 0);
            NDArray z = g.sampleNoise(m, b);
            StepInputs in = new StepInputs(x, z, d.sampleMasks(m, b), d.sampleMasks(m, b));
            AdversarialLoss loss = GanLoss.of(TINY.loss().generator(), TINY.loss().dScale());
            discriminatorOnly(g, d, loss, in);
            gradsD = grads(d.params());
            zero(g, d);
            generatorOnly(g, d, loss, in);
            gradsG = grads(g.params());
            zero(g, d);
        }
        List<double[]> expected = new ArrayList<>();
        List<double[]> clean = new ArrayList<>(gradsG);
        clean.addAll(gradsD);
        for (int i = 0; i < before.size(); i++) {
            double[] p = before.get(i).clone();
            for (int j = 0; j < p.length; j++) {
                p[j] -= 0.1 * clean.get(i)[j];
            }
            expected.add(p);
        }

        try (GanTrainer t = new GanTrainer(TINY, data)) {
            assertThat(TINY.optim().name()).isEqualTo("sgd");
            assertThat(t.optimizerG().learningRate()).isEqualTo(0.1);
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(dev.gantry.train.TrainingView trainer, StepStats stats) {
                    trainer.requestStop();
                }
            });
            assertThat(t.train(1)).isEqualTo(GanTrainer.Outcome.INTERRUPTED);
            assertThat(t.step()).isEqualTo(1);
            List<Param> all = new ArrayList<>(t.generator().params());
            all.addAll(t.discriminator().params());
            List<double[]> after = new ArrayList<>();
            all.forEach(p -> after.add(toDoubles(p.array())));
            assertClose(all, after, expected, "after one step");
            // And it really moved: the check is not comparing the initial weights with themselves.
            assertThat(maxAbsDiff(after, before)).isGreaterThan(1e-4);
        }
    }
}
