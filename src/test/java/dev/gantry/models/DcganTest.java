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
import dev.gantry.losses.Objective;
import dev.gantry.nn.Param;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DCGAN architecture: its stage layout, shapes, refusals and D's hand-written input gradient. */
class DcganTest {

    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    static RunConfig.ModelConfig model(String... sets) {
        return ConfigLoader.load("dcgan-mnist", null, List.of(sets)).model();
    }

    @ParameterizedTest
    @CsvSource({
            // channels, side, depth (0 = auto), expected depth, expected base
            "1, 28, 0, 2, 7",
            "3, 28, 0, 2, 7",
            "3, 32, 0, 3, 4",
            "3, 64, 0, 4, 4",
            "1, 28, 1, 1, 14",
            "3, 32, 2, 2, 8"})
    void layoutHalvesTheSideOnceAStage(int c, int side, int depth, int expectDepth, int expectBase) {
        Dcgan.Layout l = Dcgan.layout(model("model.depth=" + depth), new ImageShape(c, side, side));
        assertThat(l.depth()).isEqualTo(expectDepth);
        assertThat(l.base()).isEqualTo(expectBase);
        assertThat(l.base() << l.depth()).isEqualTo(side);
    }

    @ParameterizedTest
    @CsvSource({"4, 1, 28", "5, 1, 28", "4, 3, 32", "5, 3, 32"})
    void generatorMakesImagesOfTheDataShapeAndDiscriminatorOneLogitEach(int kernel, int channels, int side) {
        ImageShape shape = new ImageShape(channels, side, side);
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = Models.build(m, model("model.kernel=" + kernel, "model.width=8", "model.noise_dim=10"), shape, PixelMeans.constant(0.5, shape.dim()));
            assertThat(p.generator().outputShape()).isEqualTo(shape);
            assertThat(p.discriminator().inputShape()).isEqualTo(shape);
            NDArray z = p.generator().sampleNoise(m, 5);
            assertThat(z.getShape()).isEqualTo(new Shape(5, 10));
            NDArray x = p.generator().forward(z, false, true);
            assertThat(x.getShape()).isEqualTo(new Shape(5, channels, side, side));
            for (float v : x.toFloatArray()) {
                assertThat(v).isBetween(0f, 1f);   // sigmoid output: Gantry's images are in [0, 1]
            }
            NDArray logits = p.discriminator().logits(x, p.discriminator().sampleMasks(m, 5), false);
            assertThat(logits.getShape()).isEqualTo(new Shape(5));
        }
    }

    @Test
    void mnistNetworksHaveThePaperLayersAndInit() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = Models.build(m, model(), MNIST, PixelMeans.constant(0.5, 784));
            List<String> g = p.generator().params().stream().map(Param::name).toList();
            assertThat(g).containsExactly("g.project.weight", "g.project.bias", "g.bn0.gamma", "g.bn0.beta",
                    "g.up1.weight", "g.up1.bias", "g.bn1.gamma", "g.bn1.beta", "g.up2.weight", "g.up2.bias");
            List<String> d = p.discriminator().params().stream().map(Param::name).toList();
            // No batch norm on D's input layer.
            assertThat(d).containsExactly("d.conv1.weight", "d.conv1.bias", "d.conv2.weight", "d.conv2.bias",
                    "d.bn2.gamma", "d.bn2.beta", "d.out.weight", "d.out.bias");
            assertThat(shape(p.generator().params(), "g.project.weight")).isEqualTo(new Shape(128 * 7 * 7, 100));
            assertThat(shape(p.generator().params(), "g.up1.weight")).isEqualTo(new Shape(128, 64, 4, 4));
            assertThat(shape(p.generator().params(), "g.up2.weight")).isEqualTo(new Shape(64, 1, 4, 4));
            assertThat(shape(p.discriminator().params(), "d.conv1.weight")).isEqualTo(new Shape(64, 1, 4, 4));
            assertThat(shape(p.discriminator().params(), "d.conv2.weight")).isEqualTo(new Shape(128, 64, 4, 4));
            assertThat(shape(p.discriminator().params(), "d.out.weight")).isEqualTo(new Shape(1, 128 * 7 * 7));
            // N(0, 0.02²): the sample standard deviation of 627,200 projection weights is within 1 %.
            float[] w = p.generator().params().get(0).array().toFloatArray();
            double sum = 0, sq = 0;
            for (float v : w) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / w.length;
            assertThat(Math.sqrt(sq / w.length - mean * mean)).isCloseTo(0.02, Offset.offset(2e-4));
            assertThat(mean).isCloseTo(0, Offset.offset(1e-4));
        }
    }

    private static Shape shape(List<Param> params, String name) {
        return params.stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow().array().getShape();
    }

    @Test
    void aModelBuiltForAnotherSizeFailsNamingBothShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Models.build(m, model("model.image_size=32"), MNIST, PixelMeans.constant(0.5, 784)))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("1×32×32").hasMessageContaining("1×28×28").hasMessageContaining("model.image_size");
            assertThatThrownBy(() -> Models.build(m, model(), new ImageShape(1, 28, 20), PixelMeans.constant(0.5, 560)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("square").hasMessageContaining("1×28×20");
            assertThatThrownBy(() -> Models.build(m, model("model.depth=3"), MNIST, PixelMeans.constant(0.5, 784)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("model.depth = 3").hasMessageContaining("1×28×28");
            assertThatThrownBy(() -> Models.build(m, model("model.d_spectral_norm=true"), MNIST, PixelMeans.constant(0.5, 784)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("model.d_spectral_norm");
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 1, 28", "5, 1, 28", "4, 3, 32"})
    void handWrittenInputGradientMatchesAutograd(int kernel, int channels, int side) {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            ImageShape shape = new ImageShape(channels, side, side);
            Discriminator d = Models.build(m, model("model.kernel=" + kernel, "model.width=4", "model.d_batch_norm=false",
                    "model.init_std=0.2"), shape, PixelMeans.constant(0.5, shape.dim())).discriminator();
            assertThat(d.inputGradientUnavailable()).isNull();
            NDArray x = m.randomUniform(0f, 1f, new Shape(3, channels, side, side));
            float[] manual;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                manual = d.inputGradient(x, new NDList()).toFloatArray();
            }
            dev.gantry.nn.NdTestSupport.assertInputGradientIsAutograds(manual, x, xr -> d.logits(xr, new NDList(), true));
        }
    }

    @Test
    void theGradientPenaltyIsRefusedWithBatchNormInD() {
        RunConfig c = ConfigLoader.load("tiny-dcgan", null, List.of("loss.name=wasserstein", "loss.gp_weight=10"));
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d = Models.build(m, c.model(), MNIST, PixelMeans.constant(0.5, 784)).discriminator();
            assertThat(d.inputGradientUnavailable()).contains("model.d_batch_norm=false");
            assertThatThrownBy(() -> new Objective(c.loss(), d)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("loss.gp_weight").hasMessageContaining("model.d_batch_norm=false");
            RunConfig noBn = ConfigLoader.with(c, "model.d_batch_norm=false");
            Discriminator plain = Models.build(m, noBn.model(), MNIST, PixelMeans.constant(0.5, 784)).discriminator();
            assertThat(new Objective(noBn.loss(), plain)).isNotNull();
        }
    }
}
