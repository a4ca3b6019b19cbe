package dev.gantry.models;

import dev.gantry.data.ImageSet;
import java.util.Arrays;

/**
 * What a generator may know of its training images before it is built: the mean of all pixels and
 * the mean of each pixel (C·H·W values in storage order), for output biases that start at the
 * data's marginals.
 *
 * @param overall the mean of all pixel values
 * @param perPixel the mean of each pixel over the images
 */
public record PixelMeans(double overall, double[] perPixel) {

    /** The means of {@code images} (both accumulated in double). */
    public static PixelMeans of(ImageSet images) {
        return new PixelMeans(images.meanPixel(), images.meanImage());
    }

    /** Every pixel's mean is {@code p}: for networks that are restored from a checkpoint, or for empty data. */
    public static PixelMeans constant(double p, int dim) {
        double[] v = new double[dim];
        Arrays.fill(v, p);
        return new PixelMeans(p, v);
    }
}
