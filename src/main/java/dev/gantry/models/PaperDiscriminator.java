package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.DropoutMask;
import dev.gantry.nn.Maxout;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST discriminator of Goodfellow et al. (2014), as in the authors' {@code mnist.yaml}:
 * two maxout layers (240 units × 5 pieces) and a sigmoid output, with dropout on every training pass.
 *
 * <p>Dropout is the paper's inverted dropout: input pixels are kept with probability 0.8, the inputs
 * of the second maxout layer and of the output layer with probability 0.5, kept values scaled by
 * 1/keep. It applies to real and fake batches and to the pass G's gradient flows through.
 */
public final class PaperDiscriminator implements Discriminator {

    private final int inputDim;
    private final double keepInput;
    private final double keepHidden;
    private final Maxout maxout1;
    private final Maxout maxout2;
    private final Dense output;

    public PaperDiscriminator(NDManager manager, int inputDim, int units, int pieces, double initRange,
                              double keepInput, double keepHidden) {
        this.inputDim = inputDim;
        this.keepInput = keepInput;
        this.keepHidden = keepHidden;
        this.maxout1 = new Maxout(manager, "d.maxout1", inputDim, units, pieces, initRange);
        this.maxout2 = new Maxout(manager, "d.maxout2", units, units, pieces, initRange);
        this.output = new Dense(manager, "d.out", units, 1, initRange);
    }

    @Override
    public NDList sampleMasks(NDManager manager, int batch) {
        return new NDList(
                DropoutMask.sample(manager, new Shape(batch, inputDim), keepInput),
                DropoutMask.sample(manager, new Shape(batch, maxout1.units()), keepHidden),
                DropoutMask.sample(manager, new Shape(batch, maxout2.units()), keepHidden));
    }

    @Override
    public NDArray logits(NDArray x, NDList masks, boolean frozen) {
        NDArray h = maxout1.forward(DropoutMask.apply(x, mask(masks, 0)), frozen);     // [B, units]
        h = maxout2.forward(DropoutMask.apply(h, mask(masks, 1)), frozen);             // [B, units]
        NDArray logit = output.forward(DropoutMask.apply(h, mask(masks, 2)), frozen);  // [B, 1]
        return logit.reshape(-1);                                                      // [B]
    }

    private static NDArray mask(NDList masks, int i) {
        return masks == null ? null : masks.get(i);
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>(maxout1.params());
        all.addAll(maxout2.params());
        all.addAll(output.params());
        return all;
    }
}
