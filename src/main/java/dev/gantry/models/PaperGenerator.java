package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST generator of Goodfellow et al. (2014), as in the authors' {@code mnist.yaml}:
 * z ~ U(−√3, √3)^d (unit variance), two ReLU layers, a sigmoid output.
 *
 * <p>Weights start from U(−r, r) and biases at 0, except the output bias, which starts at
 * logit(mean training pixel) so that the first samples already have the data's mean intensity.
 */
public final class PaperGenerator implements Generator {

    private static final float SQRT3 = (float) Math.sqrt(3.0);

    private final int noiseDim;
    private final Dense hidden1;
    private final Dense hidden2;
    private final Dense output;

    /**
     * @param meanPixel mean pixel value of the training images, for the output bias
     */
    public PaperGenerator(NDManager manager, int noiseDim, int hidden, int outputDim, double initRange, double meanPixel) {
        this.noiseDim = noiseDim;
        this.hidden1 = new Dense(manager, "g.h1", noiseDim, hidden, initRange);
        this.hidden2 = new Dense(manager, "g.h2", hidden, hidden, initRange);
        this.output = new Dense(manager, "g.out", hidden, outputDim, initRange);
        output.bias().array().addi((float) logit(meanPixel));
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
    public int outputDim() {
        return output.out();
    }

    @Override
    public NDArray sampleNoise(NDManager manager, int n) {
        return manager.randomUniform(-SQRT3, SQRT3, new Shape(n, noiseDim));
    }

    @Override
    public NDArray forward(NDArray z, boolean frozen) {
        NDArray h = hidden1.forward(z, frozen).getNDArrayInternal().relu();  // [B, hidden]
        h = hidden2.forward(h, frozen).getNDArrayInternal().relu();          // [B, hidden]
        return output.forward(h, frozen).getNDArrayInternal().sigmoid();     // [B, outputDim] in (0, 1)
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>(hidden1.params());
        all.addAll(hidden2.params());
        all.addAll(output.params());
        return all;
    }
}
