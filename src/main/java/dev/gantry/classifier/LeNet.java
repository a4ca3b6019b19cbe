package dev.gantry.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Conv2d;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A LeNet-style classifier (LeCun et al. 1998, in the layout of the Keras/PyTorch MNIST CNN
 * examples) whose penultimate layer is the feature space of Gantry's MNIST-domain metrics
 * (protocols.md §6): two 5×5 convolutions (32 and 64 channels, padding 2) each followed by ReLU
 * and 2×2 max pooling, a fully connected layer of {@value #FEATURES} ReLU units (the features),
 * dropout 0.5 while training, and a linear layer to the class logits. Weights He-normal
 * (N(0, 2/fan_in)), biases 0. The second convolution's maps averaged over positions are a second
 * feature space ({@link FeatureSpace#POOLED}).
 */
public final class LeNet implements Module {

    /** Width of the feature layer. */
    public static final int FEATURES = 128;

    /** Channels of the second convolution: the width of {@link FeatureSpace#POOLED}. */
    public static final int POOLED_FEATURES = 64;

    private final ImageShape shape;
    private final int classes;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Dense hidden;
    private final Dense out;

    public LeNet(NDManager manager, ImageShape shape, int classes) {
        if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
            throw new IllegalArgumentException("LeNet pools twice by 2: image sides must be multiples of 4, got " + shape);
        }
        this.shape = shape;
        this.classes = classes;
        int c = shape.channels();
        this.conv1 = new Conv2d(manager, "c.conv1", c, 32, 5, 1, 2, Math.sqrt(2.0 / (c * 25)));
        this.conv2 = new Conv2d(manager, "c.conv2", 32, POOLED_FEATURES, 5, 1, 2, Math.sqrt(2.0 / (32 * 25)));
        int flat = POOLED_FEATURES * (shape.height() / 4) * (shape.width() / 4);
        this.hidden = Dense.normal(manager, "c.hidden", flat, FEATURES, Math.sqrt(2.0 / flat));
        this.out = Dense.normal(manager, "c.out", FEATURES, classes, Math.sqrt(2.0 / FEATURES));
    }

    public ImageShape shape() {
        return shape;
    }

    public int classes() {
        return classes;
    }

    /** x [B, C, H, W] → features [B, 128] (evaluation: no dropout). */
    public NDArray features(NDArray x) {
        return featuresOf(x, true);
    }

    /**
     * x [B, C, H, W] → {penultimate features [B, 128], the second convolution's maps averaged over
     * positions [B, 64]} from one pass (evaluation).
     */
    public NDArray[] bothFeatures(NDArray x) {
        NDArray maps = convolutions(x, true);                                       // [B, 64, H/4, W/4]
        long b = maps.getShape().get(0);
        NDArray pooled = maps.reshape(b, POOLED_FEATURES, -1).mean(new int[] {2});  // [B, 64]
        NDArray fc = hidden.forward(maps.reshape(b, -1), true).getNDArrayInternal().relu();
        return new NDArray[] {fc, pooled};
    }

    /** Class logits [B, classes] from features [B, 128] (evaluation). */
    public NDArray head(NDArray features) {
        return out.forward(features, true);
    }

    private NDArray featuresOf(NDArray x, boolean frozen) {
        NDArray h = convolutions(x, frozen);
        h = h.reshape(h.getShape().get(0), -1);                                     // [B, 64·H/4·W/4]
        return hidden.forward(h, frozen).getNDArrayInternal().relu();               // [B, 128]
    }

    private NDArray convolutions(NDArray x, boolean frozen) {
        NDArray h = pool(conv1.forward(x, frozen).getNDArrayInternal().relu());      // [B, 32, H/2, W/2]
        return pool(conv2.forward(h, frozen).getNDArrayInternal().relu());          // [B, 64, H/4, W/4]
    }

    /**
     * x [B, C, H, W] → class logits [B, classes].
     *
     * @param dropoutMask null for evaluation (parameters cut from the graph); for training an inverted-dropout mask [B, 128]
     *     (values 0 or 2) on the features
     */
    public NDArray logits(NDArray x, NDArray dropoutMask) {
        boolean frozen = dropoutMask == null;                                       // evaluation: no graph
        NDArray f = featuresOf(x, frozen);
        if (dropoutMask != null) {
            f = f.mul(dropoutMask);
        }
        return out.forward(f, frozen);                                              // [B, classes]
    }

    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        all.addAll(conv1.params());
        all.addAll(conv2.params());
        all.addAll(hidden.params());
        all.addAll(out.params());
        return all;
    }
}
