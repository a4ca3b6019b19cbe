package dev.gantry.data;

import java.util.SplittableRandom;

/**
 * Synthetic 28×28 images for tests and smoke runs: one soft blob per image at one of ten
 * positions (ten classes, the labels), so a generator has something with modes to learn in seconds.
 */
public final class FakeImages {

    private FakeImages() {}

    public static ImageSet generate(int n, long seed) {
        int side = 28;
        float[] pixels = new float[n * side * side];
        int[] labels = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int mode = rng.nextInt(10);
            labels[i] = mode;
            double cy = 6 + 16 * (mode / 5) + rng.nextDouble() - 0.5;
            double cx = 4 + 5 * (mode % 5) + rng.nextDouble() - 0.5;
            double radius = 2.5 + rng.nextDouble();
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double r2 = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (radius * radius);
                    pixels[i * side * side + y * side + x] = (float) Math.exp(-r2);
                }
            }
        }
        return new ImageSet("fake", new ImageShape(1, side, side), n, pixels, labels);
    }
}
