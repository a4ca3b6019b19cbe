package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.cli.BenchConv.Kind;
import dev.gantry.cli.BenchConv.Layer;
import dev.gantry.cli.BenchConv.Use;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageShape;
import dev.gantry.models.Models;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The matrix products (and, for DCGAN, convolutions) `gantry bench step` attributes to one step, counted by hand. */
class BenchProductsTest {

    /** The products of a trainer built from {@code preset} (on synthetic data of its shape). */
    private static List<BenchCommand.MatMul> products(String preset, String... sets) {
        List<String> all = new ArrayList<>(List.of(sets));
        all.add("data.train_size=400");
        if (!preset.startsWith("toy")) {
            all.add("data.name=fake");
        }
        var c = ConfigLoader.load(preset, null, all);
        try (var t = new dev.gantry.train.GanTrainer(c, Datasets.trainingSet(c, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))) {
            return BenchCommand.products(c, t);
        }
    }

    private static double flops(List<BenchCommand.MatMul> p) {
        return p.stream().mapToDouble(BenchCommand.MatMul::flops).sum();
    }

    @Test
    void simultaneousPaperStepWithHandBackward() {
        List<BenchCommand.MatMul> p = products("paper-mnist");
        // G: 3 forward + 3 weight grads + 2 input grads; D over 2B rows: 3 forward, 3 weight grads,
        // 2 input grads; the fake rows back to G's samples: 3 input grads.
        assertThat(p).hasSize(8 + 8 + 3);
        double gForward = 2.0 * 100 * (100 * 1200 + 1200 * 1200 + 1200 * 784);
        double gBackward = gForward + 2.0 * 100 * (1200 * 1200 + 1200 * 784);
        double dForward2 = 2.0 * 200 * (784 * 1200 + 240 * 1200 + 240 * 1);
        double dTrainBackward2 = dForward2 + 2.0 * 200 * (240 * 1200 + 240 * 1);
        double dInput = 2.0 * 100 * (784 * 1200 + 240 * 1200 + 240 * 1);
        assertThat(flops(p)).isEqualTo(gForward + gBackward + dForward2 + dTrainBackward2 + dInput);
    }

    @Test
    void toyProductsComeFromTheToyNetworks() {
        // toy-ring8: G 2 → 400 ×4 → 2, D 2 → 1000 (200 × 5) → 1000 → 1000 → 1, Algorithm 1 with k = 1.
        List<BenchCommand.MatMul> p = products("toy-ring8");
        assertThat(p).anySatisfy(m -> assertThat(m).isEqualTo(new BenchCommand.MatMul(100, 2, 400)));
        assertThat(p).anySatisfy(m -> assertThat(m).isEqualTo(new BenchCommand.MatMul(200, 2, 1000)));
        assertThat(p).noneSatisfy(m -> assertThat(m.k() == 784 || m.n() == 784).isTrue());
        // k = 1: G (5 forward), D on 2B (4 forward, 4 weight, 3 input); G step: G 5 + 5 + 4, D 4 forward + 4 input.
        assertThat(p).hasSize(5 + 11 + 14 + 8);
    }

    @Test
    void simultaneousPaperStepThroughAutograd() {
        List<BenchCommand.MatMul> p = products("paper-mnist", "train.backward=autograd");
        // G: 3 forward + 3 weight grads + 2 input grads; D on real and D on fake: 8 each; frozen D: 3 + 3.
        assertThat(p).hasSize(8 + 8 + 8 + 6);
        double gForward = 2.0 * 100 * (100 * 1200 + 1200 * 1200 + 1200 * 784);
        double dForward = 2.0 * 100 * (784 * 1200 + 240 * 1200 + 240 * 1);
        double gBackward = gForward + 2.0 * 100 * (1200 * 1200 + 1200 * 784);            // all weight grads + 2 input grads
        double dTrainBackward = dForward + 2.0 * 100 * (240 * 1200 + 240 * 1);           // weight grads + input grads of layers 2, 3
        double dFrozenBackward = dForward;                                              // input grads of all 3 layers
        double expected = gForward + gBackward + 2 * (dForward + dTrainBackward) + dForward + dFrozenBackward;
        assertThat(flops(p)).isEqualTo(expected);
    }

    @Test
    void alternatingStepWithK() {
        // Autograd, per D step: frozen G forward (3), D real (8), D fake (8); then G (8) and frozen D (6).
        assertThat(products("mnist-mlp-adam", "train.k=3", "train.backward=autograd")).hasSize(3 * (3 + 8 + 8) + 8 + 6);
        // By hand, per D step: G forward (3), D over 2B rows (8); then G (8), D forward (3) and input grads (3).
        assertThat(products("mnist-mlp-adam", "train.k=3")).hasSize(3 * (3 + 8) + 8 + 3 + 3);
    }

    private static Layer conv(String net, String name, Kind kind, int in, int out, int inSize, int outSize) {
        return new Layer(net, name, kind, in, out, 4, 2, 1, 0, inSize, outSize);
    }

    @Test
    void dcganMnistLayers() {
        RunConfig c = ConfigLoader.load("dcgan-mnist", null, List.of());
        ImageShape shape = Datasets.of(c).shape();
        assertThat(shape).isEqualTo(new ImageShape(1, 28, 28));
        assertThat(BenchConv.generatorLayers(c, shape)).containsExactly(
                Layer.dense("G", "g.project", 100, 128 * 7 * 7),
                conv("G", "g.up1", Kind.CONV_TRANSPOSE, 128, 64, 7, 14),
                conv("G", "g.up2", Kind.CONV_TRANSPOSE, 64, 1, 14, 28));
        assertThat(BenchConv.discriminatorLayers(c, shape)).containsExactly(
                conv("D", "d.conv1", Kind.CONV, 1, 64, 28, 14),
                conv("D", "d.conv2", Kind.CONV, 64, 128, 14, 7),
                Layer.dense("D", "d.out", 6272, 1));
    }

    @Test
    void tinyDcganLayers() {
        RunConfig c = ConfigLoader.load("tiny-dcgan", null, List.of());
        ImageShape shape = Datasets.of(c).shape();
        assertThat(BenchConv.generatorLayers(c, shape)).containsExactly(
                Layer.dense("G", "g.project", 8, 8 * 7 * 7),
                conv("G", "g.up1", Kind.CONV_TRANSPOSE, 8, 4, 7, 14),
                conv("G", "g.up2", Kind.CONV_TRANSPOSE, 4, 1, 14, 28));
        assertThat(BenchConv.discriminatorLayers(c, shape)).containsExactly(
                conv("D", "d.conv1", Kind.CONV, 1, 4, 28, 14),
                conv("D", "d.conv2", Kind.CONV, 4, 8, 14, 7),
                Layer.dense("D", "d.out", 392, 1));
    }

    @Test
    void alternatingDcganStepCounts() {
        RunConfig c = ConfigLoader.load("dcgan-mnist", null, List.of());   // alternating, k = 1
        ImageShape shape = Datasets.of(c).shape();
        List<Layer> g = BenchConv.generatorLayers(c, shape);
        List<Layer> d = BenchConv.discriminatorLayers(c, shape);
        // Frozen G forward for D's step, then G trains (z needs no gradient); D trains on real and on
        // fake (its first layer's input needs none), then, frozen, carries G's gradient to its input.
        assertThat(BenchConv.uses(c, shape)).containsExactly(
                new Use(g.get(0), false, false, 1), new Use(g.get(0), true, false, 1),
                new Use(g.get(1), false, false, 1), new Use(g.get(1), true, true, 1),
                new Use(g.get(2), false, false, 1), new Use(g.get(2), true, true, 1),
                new Use(d.get(0), false, true, 1), new Use(d.get(0), true, false, 2),
                new Use(d.get(1), false, true, 1), new Use(d.get(1), true, true, 2),
                new Use(d.get(2), false, true, 1), new Use(d.get(2), true, true, 2));
        // k = 3: each D step repeats the frozen G forward and both D passes.
        RunConfig k3 = ConfigLoader.with(c, "train.k=3");
        assertThat(BenchConv.uses(k3, shape)).contains(new Use(g.get(1), false, false, 3), new Use(d.get(1), true, true, 6),
                new Use(d.get(1), false, true, 1), new Use(g.get(1), true, true, 1));
        assertThat(BenchConv.uses(k3, shape).stream().mapToInt(Use::times).sum()).isEqualTo(3 * (3 + 3 + 3) + 3 + 3);
    }

    @Test
    void simultaneousDcganStepCountsAndFlops() {
        RunConfig c = ConfigLoader.load("tiny-dcgan", null, List.of("train.schedule=simultaneous"));
        ImageShape shape = Datasets.of(c).shape();
        List<Layer> g = BenchConv.generatorLayers(c, shape);
        List<Layer> d = BenchConv.discriminatorLayers(c, shape);
        List<Use> uses = BenchConv.uses(c, shape);
        assertThat(uses).containsExactly(
                new Use(g.get(0), true, false, 1), new Use(g.get(1), true, true, 1), new Use(g.get(2), true, true, 1),
                new Use(d.get(0), false, true, 1), new Use(d.get(0), true, false, 2),
                new Use(d.get(1), false, true, 1), new Use(d.get(1), true, true, 2),
                new Use(d.get(2), false, true, 1), new Use(d.get(2), true, true, 2));
        int b = c.train().batchSize();
        // D's first convolution: 2·B·out·14²·in·4² per product; forward + dW twice, forward + dX once.
        assertThat(uses.get(4).flops(b)).isEqualTo(2 * 2 * (2.0 * b * 4 * 14 * 14 * 1 * 16));
        assertThat(uses.get(3).flops(b)).isEqualTo(2 * (2.0 * b * 4 * 14 * 14 * 1 * 16));
        // G's last transposed convolution: every input pixel of every input channel meets 4² taps of each output channel.
        assertThat(uses.get(2).flops(b)).isEqualTo(3 * (2.0 * b * 4 * 14 * 14 * 1 * 16));
    }

    @Test
    void dcganLayersMatchTheNetworksGantryBuilds() {
        for (String preset : List.of("dcgan-mnist", "tiny-dcgan", "dcgan-cifar10")) {
            RunConfig c = ConfigLoader.load(preset, null, List.of());
            ImageShape shape = Datasets.of(c).shape();
            try (NDManager m = NDManager.newBaseManager()) {
                Models.Pair nets = Models.build(m, c.model(), shape, dev.gantry.models.PixelMeans.constant(0.5, shape.dim()));
                List<Param> params = new ArrayList<>(nets.generator().params());
                params.addAll(nets.discriminator().params());
                List<String> built = params.stream()
                        .filter(p -> p.name().endsWith(".weight") && !p.name().contains(".bn"))
                        .map(p -> p.name() + " " + p.array().getShape()).toList();
                List<String> listed = Stream.concat(BenchConv.generatorLayers(c, shape).stream(),
                                BenchConv.discriminatorLayers(c, shape).stream())
                        .map(l -> l.name() + ".weight " + l.weightShape()).toList();
                assertThat(listed).as(preset).isEqualTo(built);
            }
        }
        RunConfig cifar = ConfigLoader.load("dcgan-cifar10", null, List.of());
        List<Layer> g = BenchConv.generatorLayers(cifar, Datasets.of(cifar).shape());
        assertThat(g.get(g.size() - 1).outSize()).isEqualTo(32);
        assertThat(g.get(1).inputShape(64)).isEqualTo(new Shape(64, 256, 4, 4));
    }
}
