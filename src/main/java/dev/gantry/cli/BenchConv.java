package dev.gantry.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.models.Models;
import dev.gantry.nn.ConvTranspose2d;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference of {@code gantry bench step} for {@code model.arch = dcgan}: every convolution,
 * transposed convolution and dense layer of G and D, with the passes of one training step that run
 * it, each timed alone on random tensors of its shapes.
 *
 * <p>The accounting is that of {@link BenchCommand#products}: a layer runs forward in every pass;
 * its weight gradient (and bias gradient) is computed when its network trains in that pass; its
 * input gradient when its input needs one (any layer but the first of a network that trains, and
 * every layer of the frozen D that carries G's gradient). Per step: simultaneous schedule, G once
 * (trains), D on real and D on fake cut from G (both train), frozen D on fake with gradient to its
 * input; alternating, k × (frozen G forward, D on real, D on fake), then G (trains) through the
 * frozen D.
 *
 * <p>Each distinct (layer, weight gradient, input gradient) is timed as a graph of that one
 * operation, exactly as the layer calls it ({@code linear}, {@code Conv2d.conv2d}, Gantry's
 * {@link ConvTranspose2d#convTranspose2d} with its phase decomposition), bias included: forward,
 * then {@code GradientCollector.backward} of the output (an all-ones output gradient) when a
 * gradient is needed. The input is a fresh copy each time, made before the clock starts, so an input
 * gradient is never accumulated into an old one; the weight's gradient accumulates, as a
 * parameter's does. Not counted: batch norm, activations, reshapes between layers, losses, the
 * optimizer, noise and batches, and a gradient penalty's extra passes.
 */
final class BenchConv {

    private BenchConv() {}

    /** A layer kind, as printed. */
    enum Kind {
        DENSE("dense"), CONV("conv"), CONV_TRANSPOSE("conv-transpose");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * One layer: {@code in} → {@code out} channels (features for dense) on square maps of side
     * {@code inSize} → {@code outSize} (1 for dense).
     */
    record Layer(String net, String name, Kind kind, int in, int out, int kernel, int stride, int padding,
            int outputPadding, int inSize, int outSize) {

        static Layer dense(String net, String name, int in, int out) {
            return new Layer(net, name, Kind.DENSE, in, out, 1, 1, 0, 0, 1, 1);
        }

        /** [B, in] or [B, in, inSize, inSize]. */
        Shape inputShape(int batch) {
            return kind == Kind.DENSE ? new Shape(batch, in) : new Shape(batch, in, inSize, inSize);
        }

        /** As the layer holds it: dense [out, in], conv [out, in, k, k], transposed conv [in, out, k, k]. */
        Shape weightShape() {
            return switch (kind) {
                case DENSE -> new Shape(out, in);
                case CONV -> new Shape(out, in, kernel, kernel);
                case CONV_TRANSPOSE -> new Shape(in, out, kernel, kernel);
            };
        }

        /**
         * Multiply-adds × 2 of the forward pass (a weight or an input gradient costs the same): dense
         * 2·B·in·out, conv 2·B·out·H'²·in·k², transposed conv 2·B·in·H²·out·k² (each input pixel
         * meets k² taps of every output channel).
         */
        double forwardFlops(int batch) {
            return switch (kind) {
                case DENSE -> 2.0 * batch * in * out;
                case CONV -> 2.0 * batch * out * outSize * outSize * in * kernel * kernel;
                case CONV_TRANSPOSE -> 2.0 * batch * in * inSize * inSize * out * kernel * kernel;
            };
        }

        /** E.g. {@code G g.up1 conv-transpose 128->64 k4 s2 p1, 7x7 -> 14x14}. */
        String describe() {
            String head = String.format("%s %-9s %-14s %-9s", net, name, kind.label, in + "->" + out);
            if (kind == Kind.DENSE) {
                return head.strip();
            }
            return head + String.format(" k%d s%d p%d%s, %dx%d -> %dx%d", kernel, stride, padding,
                    outputPadding == 0 ? "" : " op" + outputPadding, inSize, inSize, outSize, outSize);
        }
    }

    /** A layer's runs in the passes of one step that need the same gradients: {@code times} per step. */
    record Use(Layer layer, boolean weightGrad, boolean inputGrad, int times) {

        /** Forward plus one product of the same size per gradient, for all {@code times}. */
        double flops(int batch) {
            return times * layer.forwardFlops(batch) * (1 + (weightGrad ? 1 : 0) + (inputGrad ? 1 : 0));
        }

        String grads() {
            return "forward" + (weightGrad ? " + dW" : "") + (inputGrad ? " + dX" : "");
        }
    }

    /**
     * G's layers as {@code dev.gantry.models.Dcgan} builds them: the projection z → c0·b·b, then
     * {@code depth} transposed convolutions of stride 2, each halving the channels, the last making
     * the image's.
     *
     * @throws dev.gantry.BadInputException when the model does not fit the data
     */
    static List<Layer> generatorLayers(RunConfig c, ImageShape data) {
        Geometry geo = geometry(c, data);
        RunConfig.ModelConfig m = c.model();
        int c0 = m.width() << (geo.depth - 1);
        List<Layer> layers = new ArrayList<>();
        layers.add(Layer.dense("G", "g.project", m.noiseDim(), c0 * geo.base * geo.base));
        int in = c0;
        int side = geo.base;
        for (int i = 1; i <= geo.depth; i++) {
            int out = i == geo.depth ? data.channels() : in / 2;
            int outSide = (side - 1) * 2 - 2 * geo.padding + m.kernel() + geo.outputPadding;
            layers.add(new Layer("G", "g.up" + i, Kind.CONV_TRANSPOSE, in, out, m.kernel(), 2, geo.padding, geo.outputPadding,
                    side, outSide));
            in = out;
            side = outSide;
        }
        return layers;
    }

    /** D's layers: {@code depth} convolutions of stride 2 from d channels, each doubling them, then the b×b map to one logit. */
    static List<Layer> discriminatorLayers(RunConfig c, ImageShape data) {
        Geometry geo = geometry(c, data);
        RunConfig.ModelConfig m = c.model();
        List<Layer> layers = new ArrayList<>();
        int in = data.channels();
        int width = m.width();
        int side = data.height();
        for (int i = 1; i <= geo.depth; i++) {
            int outSide = Math.floorDiv(side + 2 * geo.padding - m.kernel(), 2) + 1;
            layers.add(new Layer("D", "d.conv" + i, Kind.CONV, in, width, m.kernel(), 2, geo.padding, 0, side, outSide));
            in = width;
            width *= 2;
            side = outSide;
        }
        layers.add(Layer.dense("D", "d.out", in * side * side, 1));
        return layers;
    }

    /** Every layer of one training step with what each pass needs of it, G's layers then D's, in network order. */
    static List<Use> uses(RunConfig c, ImageShape data) {
        List<Layer> g = generatorLayers(c, data);
        List<Layer> d = discriminatorLayers(c, data);
        Map<Use, Integer> counts = new LinkedHashMap<>();
        if ("alternating".equals(c.train().schedule())) {
            for (int i = 0; i < c.train().k(); i++) {
                pass(counts, g, false, false);  // G samples for D, frozen
                pass(counts, d, true, false);   // D on real
                pass(counts, d, true, false);   // D on fake (G frozen)
            }
            pass(counts, g, true, false);       // G forward for its step
            pass(counts, d, false, true);       // frozen D, gradient to G's samples
        } else {
            pass(counts, g, true, false);
            pass(counts, d, true, false);       // D on real
            pass(counts, d, true, false);       // D on fake, cut from G
            pass(counts, d, false, true);       // frozen D on fake, gradient to G
        }
        List<Use> list = new ArrayList<>();
        for (Layer layer : concat(g, d)) {
            for (boolean w : new boolean[] {false, true}) {
                for (boolean x : new boolean[] {false, true}) {
                    Integer n = counts.get(new Use(layer, w, x, 0));
                    if (n != null) {
                        list.add(new Use(layer, w, x, n));
                    }
                }
            }
        }
        return list;
    }

    private static void pass(Map<Use, Integer> counts, List<Layer> layers, boolean trainable, boolean inputNeedsGrad) {
        for (int i = 0; i < layers.size(); i++) {
            boolean needInputGrad = i > 0 ? (trainable || inputNeedsGrad) : inputNeedsGrad;
            counts.merge(new Use(layers.get(i), trainable, needInputGrad, 0), 1, Integer::sum);
        }
    }

    private static List<Layer> concat(List<Layer> a, List<Layer> b) {
        List<Layer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The stage layout of {@code dev.gantry.models.Dcgan} (its Layout), after the architecture's own checks. */
    private record Geometry(int depth, int base, int padding, int outputPadding) {}

    private static Geometry geometry(RunConfig c, ImageShape data) {
        RunConfig.ModelConfig m = c.model();
        Models.named(m.arch()).check(m, data);
        int size = data.height();
        int depth = m.depth();
        if (depth == 0) {
            while (size % (1 << (depth + 1)) == 0 && size / (1 << (depth + 1)) >= 4) {
                depth++;
            }
        }
        return new Geometry(depth, size >> depth, m.kernel() == 4 ? 1 : 2, m.kernel() == 4 ? 0 : 1);
    }

    /** Random operands of every use, on one manager; {@link #time} runs them. */
    static final class Timer implements AutoCloseable {

        private final NDManager nd = NDManager.newBaseManager();
        private final List<Use> uses;
        private final List<NDArray[]> operands = new ArrayList<>();   // {x, weight, bias} per use

        Timer(List<Use> uses, int batch) {
            this.uses = uses;
            for (Use u : uses) {
                NDArray x = nd.randomUniform(-1, 1, u.layer().inputShape(batch));
                NDArray w = nd.randomNormal(0f, 0.02f, u.layer().weightShape(), DataType.FLOAT32);
                NDArray b = nd.randomUniform(-0.1f, 0.1f, new Shape(u.layer().out()));
                if (u.weightGrad()) {
                    w.setRequiresGradient(true);
                    b.setRequiresGradient(true);
                }
                operands.add(new NDArray[] {x, w, b});
            }
        }

        /**
         * Runs every use {@code repeats} times.
         *
         * @return per use, the mean milliseconds of one run (forward and the backward it needs)
         */
        double[] time(int repeats) {
            double[] ms = new double[uses.size()];
            for (int i = 0; i < uses.size(); i++) {
                Use u = uses.get(i);
                NDArray[] xwb = operands.get(i);
                long total = 0;
                for (int r = 0; r < repeats; r++) {
                    NDManager sm = nd.newSubManager();
                    NDArray x = xwb[0].duplicate();     // on sm: everything the op derives lands there
                    x.attach(sm);
                    if (u.inputGrad()) {
                        x.setRequiresGradient(true);
                    }
                    long t0 = System.nanoTime();
                    if (u.weightGrad() || u.inputGrad()) {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            gc.backward(apply(u.layer(), x, xwb[1], xwb[2]));
                        }
                    } else {
                        apply(u.layer(), x, xwb[1], xwb[2]);
                    }
                    sm.close();
                    total += System.nanoTime() - t0;
                }
                ms[i] = total / 1e6 / repeats;
            }
            return ms;
        }

        /** The layer's own operation, as its module calls it. */
        private static NDArray apply(Layer l, NDArray x, NDArray w, NDArray b) {
            return switch (l.kind()) {
                case DENSE -> x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
                case CONV -> ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(l.stride(), l.stride()),
                        new Shape(l.padding(), l.padding()), new Shape(1, 1), 1).singletonOrThrow();
                case CONV_TRANSPOSE -> ConvTranspose2d.convTranspose2d(x, w, b, l.stride(), l.padding(), l.outputPadding());
            };
        }

        @Override
        public void close() {
            nd.close();
        }
    }
}
