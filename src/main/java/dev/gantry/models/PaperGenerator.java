package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.BatchNorm;
import dev.gantry.nn.Dense;
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

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) {
            all.addAll(hidden.get(i).params());
            if (!norms.isEmpty()) {
                all.addAll(norms.get(i).params());
            }
        }
        all.addAll(output.params());
        return all;
    }

    @Override
    public List<NDArray> buffers() {
        List<NDArray> all = new ArrayList<>();
        norms.forEach(n -> all.addAll(n.buffers()));
        return all;
    }
}
