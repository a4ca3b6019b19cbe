package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.DropoutMask;
import dev.gantry.nn.Maxout;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A maxout discriminator; with the defaults, the MNIST discriminator of Goodfellow et al. (2014) as
 * in the authors' {@code mnist.yaml}: two maxout layers (240 units × 5 pieces) and a linear output
 * read as a logit, with dropout on every training pass.
 *
 * <p>Dropout is the paper's inverted dropout: input pixels are kept with probability 0.8, the inputs
 * of the later maxout layers and of the output layer with probability 0.5, kept values scaled by
 * 1/keep. It applies to real and fake batches and to the pass G's gradient flows through. The same
 * class builds PacGAN's 2D discriminator (three maxout layers of 200 × 5, no dropout), optionally
 * spectrally normalised.
 */
public final class PaperDiscriminator implements Discriminator {

    private final ImageShape inputShape;
    private final int inputDim;
    private final int classes;
    private final double keepInput;
    private final double keepHidden;
    private final List<Maxout> layers = new ArrayList<>();
    private final Dense output;

    /** The paper's discriminator: two maxout layers, on 1×1×inputDim images. */
    public PaperDiscriminator(NDManager manager, int inputDim, int units, int pieces, double initRange,
                              double keepInput, double keepHidden) {
        this(manager, new ImageShape(1, 1, inputDim), units, pieces, 2, initRange, keepInput, keepHidden, false, 0);
    }

    /** On 1×1×inputDim images. */
    public PaperDiscriminator(NDManager manager, int inputDim, int units, int pieces, int depth, double initRange,
                              double keepInput, double keepHidden, boolean spectralNorm) {
        this(manager, new ImageShape(1, 1, inputDim), units, pieces, depth, initRange, keepInput, keepHidden, spectralNorm, 0);
    }

    /**
     * @param classes 0, or the number of classes of a conditional discriminator, whose one-hot y
     *     is joined to the (dropped-out) pixels at the first maxout layer (Mirza & Osindero 2014)
     */
    public PaperDiscriminator(NDManager manager, ImageShape inputShape, int units, int pieces, int depth, double initRange,
                              double keepInput, double keepHidden, boolean spectralNorm, int classes) {
        this.inputShape = inputShape;
        this.classes = classes;
        this.inputDim = inputShape.dim();
        this.keepInput = keepInput;
        this.keepHidden = keepHidden;
        int in = inputDim + classes;
        for (int i = 1; i <= depth; i++) {
            Maxout m = new Maxout(manager, "d.maxout" + i, in, units, pieces, initRange);
            if (spectralNorm) {
                m.affine().withSpectralNorm(manager);
            }
            layers.add(m);
            in = units;
        }
        this.output = new Dense(manager, "d.out", in, 1, initRange);
        if (spectralNorm) {
            output.withSpectralNorm(manager);
        }
    }

    @Override
    public ImageShape inputShape() {
        return inputShape;
    }

    @Override
    public NDList sampleMasks(NDManager manager, int batch) {
        NDList masks = new NDList(DropoutMask.sample(manager, new Shape(batch, inputDim), keepInput));
        for (Maxout m : layers) {
            masks.add(DropoutMask.sample(manager, new Shape(batch, m.units()), keepHidden));
        }
        return masks;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public NDArray logits(NDArray x, NDList masks, boolean frozen) {
        return logits(x, null, masks, frozen);
    }

    @Override
    public NDArray logits(NDArray x, NDArray y, NDList masks, boolean frozen) {
        Conditioning.check(y, classes, "D");
        NDArray h = flat(x);                                                                      // [B, C·H·W]
        for (int i = 0; i < layers.size(); i++) {
            NDArray in = DropoutMask.apply(h, DropoutMask.of(masks, i));
            if (i == 0 && y != null) {
                in = in.concat(y, 1);                                                             // [B, C·H·W + classes]
            }
            h = layers.get(i).forward(in, frozen);                                                // [B, units]
        }
        NDArray logit = output.forward(DropoutMask.apply(h, DropoutMask.of(masks, layers.size())), frozen);  // [B, 1]
        return logit.reshape(-1);                                                                  // [B]
    }

    /** The last maxout layer's units [B, units] (no dropout). */
    @Override
    public NDArray features(NDArray x) {
        if (classes > 0) {
            throw new UnsupportedOperationException("a conditional D's features depend on the label it is asked about");
        }
        NDArray h = flat(x);
        for (Maxout m : layers) {
            h = m.forward(h, true);                                                               // [B, units]
        }
        return h;
    }

    @Override
    public NDArray inputGradient(NDArray x, NDList masks) {
        return inputGradient(x, null, masks);
    }

    @Override
    public NDArray inputGradient(NDArray x, NDArray y, NDList masks) {
        Conditioning.check(y, classes, "D");
        // Forward, keeping each layer's pre-activation and effective weight.
        List<NDArray> pre = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        Shape imageShape = x.getShape();
        x = flat(x);                                                                              // [B, C·H·W]
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            Dense affine = layers.get(i).affine();
            NDArray w = affine.effectiveWeight(false, x.getManager());
            NDArray in = DropoutMask.apply(h, DropoutMask.of(masks, i));
            if (i == 0 && y != null) {
                in = in.concat(y, 1);                                                             // [B, C·H·W + classes]
            }
            NDArray z = in.getNDArrayInternal().linear(in, w, affine.bias().array()).singletonOrThrow();
            pre.add(z);
            weights.add(w);
            h = layers.get(i).reduce(z);
        }
        // Backward by hand: ∂logit/∂h_L = w_out (through the output's dropout mask), then each maxout.
        long batch = x.getShape().get(0);
        NDArray wOut = output.effectiveWeight(false, x.getManager());                               // [1, units]
        NDArray g = x.getManager().ones(new Shape(batch, 1)).matMul(wOut);                          // [B, units]
        g = DropoutMask.apply(g, DropoutMask.of(masks, layers.size()));
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).inputGradient(pre.get(i), g, weights.get(i));                      // [B, in_i]
            if (i == 0 && y != null) {
                g = g.get(":, 0:" + inputDim);                                                    // the pixels' part; y is no input to differentiate
            }
            g = DropoutMask.apply(g, DropoutMask.of(masks, i));
        }
        return g.reshape(imageShape);                                                             // [B, C, H, W]
    }

    /** [in, out] of each affine map (a maxout layer's out is units × pieces), input to logit. */
    public List<int[]> layerShapes() {
        List<int[]> shapes = new ArrayList<>();
        layers.forEach(m -> shapes.add(new int[] {m.affine().in(), m.affine().out()}));
        shapes.add(new int[] {output.in(), output.out()});
        return shapes;
    }

    /** The maxout layers, input to output (for the native step, {@code train.backward = native}). */
    public List<Maxout> maxoutLayers() {
        return List.copyOf(layers);
    }

    /** The linear output layer (one logit). */
    public Dense outputLayer() {
        return output;
    }

    /** The probability of keeping an input pixel in a training pass. */
    public double keepInput() {
        return keepInput;
    }

    /** The probability of keeping a hidden unit (the later maxout layers' and the output's inputs). */
    public double keepHidden() {
        return keepHidden;
    }

    /**
     * Whether {@link #trace} can run: an unconditional D without spectral normalisation (whose
     * division the hand-written pass does not differentiate).
     */
    public boolean handBackward() {
        return classes == 0 && !output.spectral() && layers.stream().noneMatch(m -> m.affine().spectral());
    }

    /**
     * A training pass outside autograd that keeps what the hand-written backward needs: the same
     * operations and values as {@code logits(x, masks, false)}.
     *
     * @param masks from {@link #sampleMasks} for the rows of x
     */
    public Trace trace(NDArray x, NDList masks) {
        if (!handBackward()) {
            throw new IllegalStateException("this discriminator has no hand-written backward");
        }
        List<Maxout.Trace> passes = new ArrayList<>();
        NDArray h = flat(x);                                                                      // [B, C·H·W]
        for (int i = 0; i < layers.size(); i++) {
            Maxout.Trace t = layers.get(i).trace(DropoutMask.apply(h, DropoutMask.of(masks, i)));
            passes.add(t);
            h = t.output();                                                                       // [B, units]
        }
        NDArray top = DropoutMask.apply(h, DropoutMask.of(masks, layers.size()));
        NDArray logits = output.apply(top).reshape(-1);                                          // [B]
        return new Trace(x.getShape(), passes, top, logits, masks);
    }

    /** A pass of {@link #trace}: the logits, and the backward passes to D's parameters and to the input. */
    public final class Trace {
        private final Shape inputShape;
        private final List<Maxout.Trace> passes;
        private final NDArray top;            // the output layer's input [B, units]
        private final NDArray logits;         // [B]
        private final NDList masks;

        private Trace(Shape inputShape, List<Maxout.Trace> passes, NDArray top, NDArray logits, NDList masks) {
            this.inputShape = inputShape;
            this.passes = passes;
            this.top = top;
            this.logits = logits;
            this.masks = masks;
        }

        public NDArray logits() {
            return logits;
        }

        /** Rows {@code from} (inclusive) to {@code to} (exclusive) of the pass, as views: the same thinned network. */
        public Trace rows(long from, long to) {
            String r = from + ":" + to;
            List<Maxout.Trace> sub = new ArrayList<>();
            passes.forEach(t -> sub.add(t.rows(from, to)));
            NDList subMasks = null;
            if (masks != null) {
                subMasks = new NDList();
                for (NDArray m : masks) {
                    subMasks.add(m == null ? null : m.get(r));
                }
            }
            long[] dims = inputShape.getShape().clone();
            dims[0] = to - from;
            return new Trace(new Shape(dims), sub, top.get(r), logits.get(r), subMasks);
        }

        /** From the loss's gradient at the logits [B]: the gradients of D's parameters, in the order of {@link #params()}. */
        public List<NDArray> parameterGradients(NDArray gLogits) {
            List<NDArray> grads = new ArrayList<>();
            backward(gLogits, grads);
            return grads;
        }

        /** From the loss's gradient at the logits [B]: its gradient at the input [B, C, H, W], D's parameters held fixed. */
        public NDArray inputGradient(NDArray gLogits) {
            return backward(gLogits, null).reshape(inputShape);
        }

        /** Back-propagates; fills {@code grads} when not null, and returns the input gradient when it is. */
        private NDArray backward(NDArray gLogits, List<NDArray> grads) {
            NDArray g = gLogits.reshape(-1, 1);                                                   // [B, 1]
            NDArray[] out = grads != null ? output.parameterGradients(top, g) : null;
            g = DropoutMask.apply(output.inputGradient(g), DropoutMask.of(masks, layers.size()));           // [B, units]
            for (int i = layers.size() - 1; i >= 0; i--) {
                Maxout layer = layers.get(i);
                Maxout.Trace t = passes.get(i);
                NDArray gz = layer.preActivationGradient(t, g);                                   // [B, units·pieces]
                if (grads != null) {
                    NDArray[] w = layer.affine().parameterGradients(t.input(), gz);
                    grads.addAll(0, List.of(w[0], w[1]));
                }
                if (i == 0 && grads != null) {
                    break;                                                                        // D's own step needs no input gradient
                }
                g = DropoutMask.apply(layer.affine().inputGradient(gz), DropoutMask.of(masks, i));          // [B, in_i]
            }
            if (grads != null) {
                grads.add(out[0]);
                grads.add(out[1]);
                return null;
            }
            return g;
        }
    }

    /** [B, C, H, W] (or [B, D]) → [B, C·H·W]. */
    private static NDArray flat(NDArray x) {
        return x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
    }

    @Override
    public List<Param> params() {
        return Module.paramsOf(modules());
    }

    @Override
    public List<NDArray> buffers() {
        return Module.buffersOf(modules());
    }

    /** Every layer, input to logit. */
    private List<Module> modules() {
        List<Module> all = new ArrayList<>(layers);
        all.add(output);
        return all;
    }
}
