package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.BatchNorm;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLP generator; with the defaults, the MNIST generator of Goodfellow et al. (2014) as in the
 * authors' {@code mnist.yaml}: z ~ U(−√3, √3)^100 (unit variance), two ReLU layers of 1200, a
 * sigmoid output whose bias starts at the logit of each pixel's mean over the training set (the
 * authors' {@code init_sigmoid_bias_from_marginals}: border pixels start near −16), weights from
 * U(−0.05, 0.05).
 *
 * <p>The same class builds PacGAN's 2D generator (Lin et al., 2018): z ~ N(0, I), four ReLU layers
 * of 400 with batch normalisation, a linear output.
 */
public final class PaperGenerator implements Generator {

    private static final float SQRT3 = (float) Math.sqrt(3.0);

    private final int noiseDim;
    private final int classes;
    private final ImageShape outputShape;
    private final boolean normalNoise;
    private final boolean sigmoidOutput;
    private final List<Dense> hidden = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final Dense output;

    /**
     * The paper's generator: {@code layers = 2}, uniform noise, no batch norm, sigmoid output,
     * 1×1×outputDim images, its output bias at {@code logits(pixelMeans)}.
     */
    public PaperGenerator(NDManager manager, int noiseDim, int hidden, int outputDim, double initRange, double[] pixelMeans) {
        this(manager, noiseDim, hidden, 2, new ImageShape(1, 1, outputDim), initRange, false, false, logits(pixelMeans), 0);
    }

    /**
     * @param sigmoidBias null for a linear output; else a sigmoid output whose bias starts at these
     *     values: one per output pixel, or one for all
     * @param classes 0, or the number of classes of a conditional generator, whose one-hot y is
     *     joined to z at the input (Mirza & Osindero 2014)
     */
    public PaperGenerator(NDManager manager, int noiseDim, int width, int layers, ImageShape outputShape, double initRange,
                          boolean normalNoise, boolean batchNorm, double[] sigmoidBias, int classes) {
        this.noiseDim = noiseDim;
        this.classes = classes;
        this.outputShape = outputShape;
        int outputDim = outputShape.dim();
        this.normalNoise = normalNoise;
        this.sigmoidOutput = sigmoidBias != null;
        int in = noiseDim + classes;
        for (int i = 1; i <= layers; i++) {
            this.hidden.add(new Dense(manager, "g.h" + i, in, width, initRange));
            if (batchNorm) {
                norms.add(new BatchNorm(manager, "g.bn" + i, width));
            }
            in = width;
        }
        this.output = new Dense(manager, "g.out", in, outputDim, initRange);
        if (sigmoidBias != null && sigmoidBias.length == 1) {
            // Every bias at one value: 0 + b, the same bits the in-place addi gave, but an in-place
            // op on a parameter fails on a thread whose grad mode is on (setValues turns it off).
            float[] b = new float[outputDim];
            java.util.Arrays.fill(b, 0f + (float) sigmoidBias[0]);
            dev.gantry.nn.Tensors.setValues(output.bias().array(), b);
        } else if (sigmoidBias != null) {
            if (sigmoidBias.length != outputDim) {
                throw new IllegalArgumentException(sigmoidBias.length + " output biases for " + outputDim + " outputs");
            }
            float[] b = new float[outputDim];
            for (int j = 0; j < outputDim; j++) {
                b[j] = (float) sigmoidBias[j];
            }
            dev.gantry.nn.Tensors.setValues(output.bias().array(), b);
        }
    }

    /** {@link #logit} of each value. */
    static double[] logits(double[] p) {
        double[] l = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            l[j] = logit(p[j]);
        }
        return l;
    }

    /** log(p/(1−p)) with p clipped to [1e−7, 1−1e−7], as the authors' code does. */
    static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        return Math.log(q / (1 - q));
    }

    @Override
    public int noiseDim() {
        return noiseDim;
    }

    @Override
    public ImageShape outputShape() {
        return outputShape;
    }

    @Override
    public NDArray sampleNoise(NDManager manager, int n) {
        return noise(manager, n, noiseDim, normalNoise);
    }

    /** n draws of the paper's prior, U(−√3, √3)^dim (unit variance), or N(0, I) when {@code normal}. */
    static NDArray noise(NDManager manager, int n, int dim, boolean normal) {
        Shape shape = new Shape(n, dim);
        return normal ? manager.randomNormal(shape) : manager.randomUniform(-SQRT3, SQRT3, shape);
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public NDArray forward(NDArray z, NDArray y, boolean frozen, boolean training) {
        Conditioning.check(y, classes, "G");
        NDArray h = y == null ? z : z.concat(y, 1);                           // [B, noiseDim + classes]
        for (int i = 0; i < hidden.size(); i++) {
            h = hidden.get(i).forward(h, frozen);                              // [B, width]
            if (!norms.isEmpty()) {
                h = norms.get(i).forward(h, training, frozen);
            }
            h = h.getNDArrayInternal().relu();
        }
        NDArray out = output.forward(h, frozen);                               // [B, C·H·W]
        out = sigmoidOutput ? out.getNDArrayInternal().sigmoid() : out;
        return out.reshape(new Shape(out.getShape().get(0), outputShape.channels(), outputShape.height(), outputShape.width()));  // [B, C, H, W]
    }

    /** [in, out] of each dense layer, input to output: what a step's matrix products are made of. */
    public List<int[]> layerShapes() {
        List<int[]> shapes = new ArrayList<>();
        hidden.forEach(d -> shapes.add(new int[] {d.in(), d.out()}));
        shapes.add(new int[] {output.in(), output.out()});
        return shapes;
    }

    /** The hidden dense layers, input to output (for the native step, {@code train.backward = native}). */
    public List<Dense> hiddenLayers() {
        return List.copyOf(hidden);
    }

    /** The output layer. */
    public Dense outputLayer() {
        return output;
    }

    /** Whether the output is a sigmoid (else linear). */
    public boolean sigmoidOutput() {
        return sigmoidOutput;
    }

    /** The batch norm of each hidden layer (empty without batch norm), for the native step. */
    public List<BatchNorm> batchNorms() {
        return java.util.Collections.unmodifiableList(norms);
    }

    /**
     * Whether {@link #trace} can run: an unconditional generator (every layer here has a
     * hand-written backward).
     */
    public boolean handBackward() {
        return classes == 0;
    }

    /**
     * A training pass outside autograd that keeps what {@link Trace#backward} needs: the same
     * operations and values as {@code forward(z, null, false, true)}, running averages included.
     */
    public Trace trace(NDArray z) {
        if (classes != 0) {
            throw new IllegalStateException("a conditional generator has no hand-written backward");
        }
        List<NDArray> inputs = new ArrayList<>();
        List<BatchNorm.Trace> normed = new ArrayList<>();
        List<NDArray> active = new ArrayList<>();
        NDArray h = z;                                                          // [B, noiseDim]
        for (int i = 0; i < hidden.size(); i++) {
            inputs.add(h);
            h = hidden.get(i).apply(h);                                          // [B, width]
            if (!norms.isEmpty()) {
                BatchNorm.Trace t = norms.get(i).trace(h);
                normed.add(t);
                h = t.output();
            }
            h = h.getNDArrayInternal().relu();
            active.add(h);
        }
        inputs.add(h);
        NDArray out = output.apply(h);                                           // [B, C·H·W]
        out = sigmoidOutput ? out.getNDArrayInternal().sigmoid() : out;
        return new Trace(inputs, normed, active, out);
    }

    /** A pass of {@link #trace}: its output, and the backward pass to G's parameters. */
    public final class Trace {
        private final List<NDArray> inputs;              // each dense layer's input
        private final List<BatchNorm.Trace> normed;
        private final List<NDArray> active;              // each hidden layer's ReLU output
        private final NDArray flatOutput;                // [B, C·H·W]

        private Trace(List<NDArray> inputs, List<BatchNorm.Trace> normed, List<NDArray> active, NDArray flatOutput) {
            this.inputs = inputs;
            this.normed = normed;
            this.active = active;
            this.flatOutput = flatOutput;
        }

        /** The images [B, C, H, W]. */
        public NDArray output() {
            return flatOutput.reshape(new Shape(flatOutput.getShape().get(0), outputShape.channels(), outputShape.height(), outputShape.width()));
        }

        /**
         * From the loss's gradient at the images [B, C, H, W] (or [B, C·H·W]), the gradients of
         * every parameter, in the order of {@link #params()}.
         */
        public List<NDArray> backward(NDArray gImages) {
            NDArray g = gImages.reshape(flatOutput.getShape());                  // [B, C·H·W]
            if (sigmoidOutput) {
                g = g.mul(flatOutput.sub(flatOutput.square()));                  // σ' = σ − σ²
            }
            NDArray[] out = output.parameterGradients(inputs.get(hidden.size()), g);
            List<NDArray> grads = new ArrayList<>();
            g = output.inputGradient(g);                                         // [B, width]
            for (int i = hidden.size() - 1; i >= 0; i--) {
                g = g.mul(active.get(i).sign());                                 // ReLU': sign of the output, 0 or 1
                NDArray[] bn = null;
                if (!norms.isEmpty()) {
                    bn = norms.get(i).backward(normed.get(i), g);
                    g = bn[0];
                }
                NDArray[] dense = hidden.get(i).parameterGradients(inputs.get(i), g);
                if (i > 0) {
                    g = hidden.get(i).inputGradient(g);
                }
                List<NDArray> layer = new ArrayList<>(List.of(dense[0], dense[1]));
                if (bn != null) {
                    layer.add(bn[1]);
                    layer.add(bn[2]);
                }
                grads.addAll(0, layer);
            }
            grads.add(out[0]);
            grads.add(out[1]);
            return grads;
        }
    }

    @Override
    public List<Param> params() {
        List<Module> inOrder = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) {
            inOrder.add(hidden.get(i));
            if (!norms.isEmpty()) {
                inOrder.add(norms.get(i));
            }
        }
        inOrder.add(output);
        return Module.paramsOf(inOrder);
    }

    @Override
    public List<NDArray> buffers() {
        return Module.buffersOf(norms);
    }
}
