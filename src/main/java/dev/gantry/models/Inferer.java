package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Learned approximate inference, the paper's way (Goodfellow et al. 2014, §7; the authors' {@code
 * inferer} beside G and D): an auxiliary network Q that predicts the z which made an image, x
 * [B, C, H, W] → ẑ [B, noiseDim]. It is trained beside G on G's own samples, cut from G's graph,
 * to minimise the squared error ‖Q(G(z)) − z‖² / noiseDim; G and D are not affected. An MLP of
 * ReLU layers over the flattened image with a linear output; weights He-normal (N(0, 2/fan_in)),
 * biases 0.
 */
public final class Inferer implements Module {

    private final ImageShape inputShape;
    private final int noiseDim;
    private final List<Dense> hidden = new ArrayList<>();
    private final Dense output;

    public Inferer(ai.djl.ndarray.NDManager manager, ImageShape inputShape, int noiseDim, int width, int layers) {
        this.inputShape = inputShape;
        this.noiseDim = noiseDim;
        int in = inputShape.dim();
        for (int i = 1; i <= layers; i++) {
            hidden.add(Dense.normal(manager, "q.h" + i, in, width, Math.sqrt(2.0 / in)));
            in = width;
        }
        this.output = Dense.normal(manager, "q.out", in, noiseDim, Math.sqrt(1.0 / in));
    }

    public ImageShape inputShape() {
        return inputShape;
    }

    public int noiseDim() {
        return noiseDim;
    }

    /** x [B, C, H, W] → ẑ [B, noiseDim]. */
    public NDArray forward(NDArray x, boolean frozen) {
        NDArray h = x.reshape(x.getShape().get(0), -1);                          // [B, C·H·W]
        for (Dense d : hidden) {
            h = d.forward(h, frozen).getNDArrayInternal().relu();               // [B, width]
        }
        return output.forward(h, frozen);                                        // [B, noiseDim]
    }

    /** Q's loss: the mean over the batch and the dimensions of (Q(x) − z)². */
    public NDArray loss(NDArray x, NDArray z) {
        return forward(x, false).sub(z).square().mean();
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        hidden.forEach(d -> all.addAll(d.params()));
        all.addAll(output.params());
        return all;
    }

    @Override
    public List<NDArray> buffers() {
        return List.of();
    }
}
