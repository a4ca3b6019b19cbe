package dev.gantry.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Conditional networks p(x | y): shapes, that y reaches the output, hand-written input gradients against autograd, refusals. */
class ConditionalTest {

    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    static RunConfig.ModelConfig model(String preset, String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of(sets));
        all.add("model.conditional=true");
        return ConfigLoader.load(preset, null, all).model();
    }

    static Models.Pair build(NDManager m, RunConfig.ModelConfig c) {
        return Models.build(m, c, MNIST, PixelMeans.constant(0.13, MNIST.dim()), 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-dcgan"})
    void aConditionalPairTakesOneHotLabelsAndTheLabelChangesBothOutputs(String preset) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = build(m, model(preset, "model.d_batch_norm=false", "model.g_batch_norm=false"));
            Generator g = p.generator();
            Discriminator d = p.discriminator();
            assertThat(g.classes()).isEqualTo(10);
            assertThat(d.classes()).isEqualTo(10);
            NDArray z = g.sampleNoise(m, 4);
            NDArray y3 = Conditioning.oneHot(m, new int[] {3, 3, 3, 3}, 10);
            NDArray y7 = Conditioning.oneHot(m, new int[] {7, 7, 7, 7}, 10);
            NDArray x3 = g.forward(z, y3, true, false);
            NDArray x7 = g.forward(z, y7, true, false);
            assertThat(x3.getShape()).isEqualTo(new Shape(4, 1, 28, 28));
            assertThat(x3.sub(x7).abs().max().getFloat()).as("G's output depends on y").isGreaterThan(1e-4f);
            float[] l3 = d.logits(x3, y3, null, true).toFloatArray();
            float[] l7 = d.logits(x3, y7, null, true).toFloatArray();
            assertThat(l3).hasSize(4);
            assertThat(Math.abs(l3[0] - l7[0])).as("D's logit depends on y").isGreaterThan(1e-5f);
            // Missing or extra labels are a programming error, caught at once.
            assertThatThrownBy(() -> g.forward(z, true, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 classes");
            assertThatThrownBy(() -> d.logits(x3, null, true)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anUnconditionalPairRefusesLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = Models.build(m, ConfigLoader.load("tiny", null, List.of()).model(), MNIST, PixelMeans.constant(0.13, 784), 10);
            assertThat(p.generator().classes()).isZero();
            NDArray y = Conditioning.oneHot(m, new int[] {1, 2}, 10);
            assertThatThrownBy(() -> p.generator().forward(p.generator().sampleNoise(m, 2), y, true, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unconditional");
        }
    }

    @Test
    void conditionalOnDataWithoutClassesIsBadInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Models.build(m, model("toy-ring8"), new ImageShape(1, 1, 2), PixelMeans.constant(0, 2), 0))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("model.conditional").hasMessageContaining("labelled");
        }
    }

    /** The gradient penalty of a conditional D uses these hand-written gradients: they must be autograd's. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-dcgan"})
    void handWrittenInputGradientOfAConditionalDMatchesAutograd(String preset) {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d = build(m, model(preset, "model.d_batch_norm=false", "model.init_std=0.2")).discriminator();
            assertThat(d.inputGradientUnavailable()).isNull();
            NDArray x = m.randomUniform(0f, 1f, new Shape(3, 1, 28, 28));
            NDArray y = Conditioning.oneHot(m, new int[] {0, 4, 9}, 10);
            NDList masks = d.sampleMasks(m, 3);
            float[] manual;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                manual = d.inputGradient(x, y, masks).toFloatArray();
            }
            dev.gantry.nn.NdTestSupport.assertInputGradientIsAutograds(manual, x, xr -> d.logits(xr, y, masks, true));
        }
    }

    @Test
    void theProjectionDiscriminatorAddsTheInnerProductOfTheClassEmbeddingAndTheFeatures() {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d = build(m, model("tiny-dcgan", "model.d_batch_norm=false")).discriminator();
            // The unconditional part of the same D: with the embedding zeroed the label no longer matters.
            dev.gantry.nn.Param embed = d.params().stream().filter(p -> p.name().equals("d.embed")).findFirst().orElseThrow();
            assertThat(embed.array().getShape()).isEqualTo(new Shape(8 * 7 * 7, 10));   // F = 2·width·7·7 for width 4
            NDArray x = m.randomUniform(0f, 1f, new Shape(2, 1, 28, 28));
            NDArray y1 = Conditioning.oneHot(m, new int[] {1, 1}, 10);
            NDArray y2 = Conditioning.oneHot(m, new int[] {2, 2}, 10);
            float[] a = d.logits(x, y1, null, true).toFloatArray();
            float[] b = d.logits(x, y2, null, true).toFloatArray();
            assertThat(a[0]).isNotEqualTo(b[0]);
            embed.array().set(new float[(int) embed.array().size()]);
            float[] a0 = d.logits(x, y1, null, true).toFloatArray();
            float[] b0 = d.logits(x, y2, null, true).toFloatArray();
            assertThat(a0).containsExactly(b0);
        }
    }

    @Test
    void conditioningHelpersMakeOneHotRowsAndBalancedCycles() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(Conditioning.oneHot(m, new int[] {2, 0}, 3).toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
            assertThatThrownBy(() -> Conditioning.oneHot(m, new int[] {3}, 3)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Conditioning.cycle(7, new int[] {3, 5})).containsExactly(3, 5, 3, 5, 3, 5, 3);
        assertThat(dev.gantry.train.GanTrainer.gridLabels(3, 2)).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, 0);
    }
}
