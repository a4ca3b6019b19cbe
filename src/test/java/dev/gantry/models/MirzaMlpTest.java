package dev.gantry.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Param;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code cgan-mlp}, Mirza &amp; Osindero's conditional networks: their layer sizes, the label's branches, G's dropout, refusals. */
class MirzaMlpTest {

    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    static Models.Pair build(NDManager m, RunConfig.ModelConfig c) {
        return Models.build(m, c, MNIST, PixelMeans.constant(0.13, MNIST.dim()), 10);
    }

    @Test
    void theNetworksHaveTheirPapersLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = build(m, ConfigLoader.load("cgan-mnist", null, List.of()).model());
            Map<String, Shape> shapes = p.generator().params().stream().collect(Collectors.toMap(Param::name, q -> q.array().getShape()));
            // [out, in]: z -> 200 and y -> 1000, joined -> 1200 -> 784.
            assertThat(shapes).containsEntry("g.z.weight", new Shape(200, 100)).containsEntry("g.y.weight", new Shape(1000, 10))
                    .containsEntry("g.joint.weight", new Shape(1200, 1200)).containsEntry("g.out.weight", new Shape(784, 1200));
            Map<String, Shape> d = p.discriminator().params().stream().collect(Collectors.toMap(Param::name, q -> q.array().getShape()));
            // Maxout 240 x 5 on x, 50 x 5 on y, joined 290 -> 240 x 4, then one logit.
            assertThat(d).containsEntry("d.x.weight", new Shape(240 * 5, 784)).containsEntry("d.y.weight", new Shape(50 * 5, 10))
                    .containsEntry("d.joint.weight", new Shape(240 * 4, 290)).containsEntry("d.out.weight", new Shape(1, 240));
            // G's output bias starts at the logit of the pixel mean, as paper-mnist's.
            float[] bias = p.generator().params().stream().filter(q -> q.name().equals("g.out.bias")).findFirst().orElseThrow().array().toFloatArray();
            assertThat(bias[0]).isCloseTo((float) Math.log(0.13 / 0.87), org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void theLabelReachesBothOutputsAndGDropsOutOnlyWhenTraining() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            Models.Pair p = build(m, ConfigLoader.load("cgan-mnist", null, List.of()).model());
            Generator g = p.generator();
            Discriminator d = p.discriminator();
            NDArray z = g.sampleNoise(m, 3);
            NDArray y2 = Conditioning.oneHot(m, new int[] {2, 2, 2}, 10);
            NDArray y5 = Conditioning.oneHot(m, new int[] {5, 5, 5}, 10);
            NDArray x2 = g.forward(z, y2, true, false);
            assertThat(x2.getShape()).isEqualTo(new Shape(3, 1, 28, 28));
            assertThat(x2.sub(g.forward(z, y5, true, false)).abs().max().getFloat()).as("G depends on y").isGreaterThan(1e-5f);
            assertThat(x2.toFloatArray()).as("sampling is deterministic").containsExactly(g.forward(z, y2, true, false).toFloatArray());
            NDArray t1 = g.forward(z, y2, true, true);
            NDArray t2 = g.forward(z, y2, true, true);
            assertThat(t1.sub(t2).abs().max().getFloat()).as("training passes drop out G's hidden units").isGreaterThan(1e-5f);
            float[] l2 = d.logits(x2, y2, null, true).toFloatArray();
            float[] l5 = d.logits(x2, y5, null, true).toFloatArray();
            assertThat(l2).hasSize(3);
            assertThat(Math.abs(l2[0] - l5[0])).as("D depends on y").isGreaterThan(1e-7f);
            assertThat(d.sampleMasks(m, 3).size()).isEqualTo(3);
            assertThatThrownBy(() -> d.logits(x2, null, null, true)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anUnconditionalCganMlpIsBadInputNamingTheKey() {
        RunConfig.ModelConfig c = ConfigLoader.load("cgan-mnist", null, List.of("model.conditional=false")).model();
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> build(m, c)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("cgan-mlp").hasMessageContaining("model.conditional = true");
        }
    }
}
