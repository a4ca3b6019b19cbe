package dev.gantry.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * n images of one {@link ImageShape}, pixels in [0, 1], image after image, each channel-major
 * (CHW), with one integer label per image or none (the 2D toys, generated noise).
 *
 * @param name what the images are, for messages and provenance (e.g. {@code mnist-train})
 * @param pixels n·C·H·W values
 * @param labels n class indices, or null when unlabelled
 */
public record ImageSet(String name, ImageShape shape, int n, float[] pixels, int[] labels) {

    public ImageSet {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pixels, "pixels");
        if (n < 0 || (long) n * shape.dim() != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " values for " + n + " images of " + shape
                    + ", expected " + (long) n * shape.dim());
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + n + " images");
        }
    }

    /** Unlabelled images. */
    public static ImageSet unlabelled(String name, ImageShape shape, float[] pixels) {
        return new ImageSet(name, shape, pixels.length / shape.dim(), pixels, null);
    }

    /** Values per image. */
    public int dim() {
        return shape.dim();
    }

    public boolean labelled() {
        return labels != null;
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        Objects.checkIndex(i, n);
        if (labels == null) {
            throw new IllegalStateException(name + " has no labels");
        }
        return labels[i];
    }

    /**
     * The rows of a balanced labelled subset of n images: the first n/k of each of the k classes,
     * in storage order (deterministic, no random draw).
     *
     * @throws IllegalArgumentException when n is not a multiple of k or a class has fewer than n/k images
     */
    public int[] firstPerClass(int n, int k) {
        if (labels == null || n % k != 0) {
            throw new IllegalArgumentException(labels == null ? name + " has no labels" : n + " is not a multiple of " + k);
        }
        int each = n / k;
        int[] taken = new int[k];
        int[] rows = new int[n];
        int next = 0;
        for (int i = 0; i < this.n && next < n; i++) {
            int c = labels[i];
            if (taken[c] < each) {
                taken[c]++;
                rows[next++] = i;
            }
        }
        if (next < n) {
            throw new IllegalArgumentException(name + " holds fewer than " + each + " images of some class");
        }
        return rows;
    }

    /** Mean of all pixel values (accumulated in double, in storage order). */
    public double meanPixel() {
        double sum = 0;
        for (float p : pixels) {
            sum += p;
        }
        return sum / pixels.length;
    }

    /** Mean of each pixel over the images: [C·H·W] (accumulated in double). */
    public double[] meanImage() {
        int d = dim();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += pixels[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** A copy of images {@code [from, to)}. */
    public ImageSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, n);
        int d = dim();
        return new ImageSet(name, shape, to - from, Arrays.copyOfRange(pixels, from * d, to * d),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }

    /** A copy of image {@code i}'s pixels (CHW). */
    public float[] row(int i) {
        Objects.checkIndex(i, n);
        int d = dim();
        return Arrays.copyOfRange(pixels, i * d, (i + 1) * d);
    }

    @Override
    public String toString() {
        return "ImageSet[" + name + ", n=" + n + ", " + shape + (labels == null ? "" : ", labelled") + "]";
    }
}
