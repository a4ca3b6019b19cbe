package dev.gantry.classifier;

/**
 * Which layer of the frozen {@link LeNet} a metric measures distances in.
 *
 * <p>The penultimate layer is trained to keep the class and drop the rest, so it serves the
 * distribution metrics (FID, KID) and their classes. The nearest-neighbour manifolds of
 * precision/recall and density/coverage need a space that still sees how an image is drawn:
 * there the penultimate layer maps uniform noise onto one small-norm point inside the balls of a
 * few real outliers, and blurred digits onto their class, so both score as realistic as real
 * images (docs/evaluation.md). The last convolution block, averaged over positions — what
 * Inception's pool3 is to the Inception network — keeps stroke and texture, and ranks both
 * failures far below real on MNIST and Fashion-MNIST.
 */
public enum FeatureSpace {

    /** The 128 ReLU units before the class logits. */
    PENULTIMATE("fc128", LeNet.FEATURES),

    /** The 64 channels of the second convolution (after ReLU and max pooling), averaged over positions. */
    POOLED("conv2-avg64", LeNet.POOLED_FEATURES);

    private final String key;
    private final int width;

    FeatureSpace(String key, int width) {
        this.key = key;
        this.width = width;
    }

    /** How results name the space. */
    public String key() {
        return key;
    }

    /** Values per image. */
    public int width() {
        return width;
    }
}
