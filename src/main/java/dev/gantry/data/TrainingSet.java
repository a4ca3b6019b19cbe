package dev.gantry.data;

/**
 * Images a GAN trains on: n rows of rows×cols pixels in [0, 1], row-major, in one array.
 *
 * @param pixels n·rows·cols values
 */
public record TrainingSet(String name, float[] pixels, int n, int rows, int cols) {

    public TrainingSet {
        if ((long) n * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, expected " + n + "×" + rows + "×" + cols);
        }
    }

    public int dim() {
        return rows * cols;
    }

    /** Mean pixel value (accumulated in double). */
    public double meanPixel() {
        double sum = 0;
        for (float p : pixels) {
            sum += p;
        }
        return sum / pixels.length;
    }
}
