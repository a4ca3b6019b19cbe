package dev.gantry.data;

import dev.gantry.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stacked MNIST (Metz et al. 2017; the protocol of PacGAN, Lin et al. 2018): three MNIST digits,
 * drawn independently and uniformly, as the R, G and B channels of one 3×28×28 image; 1,000
 * classes, label = 100·r + 10·g + b. Generated from the seed on every load, never stored.
 *
 * <p>The training split draws {@code data.train_size} triples (PacGAN: 128,000) from MNIST
 * train[0:50000]; validation and test draw 10,000 triples each from MNIST's validation and test
 * images, so no split shares a digit image with another.
 */
public final class StackedMnistDataset implements Dataset {

    static final ImageShape SHAPE = new ImageShape(3, Mnist.ROWS, Mnist.COLS);

    private final MnistDataset mnist = new MnistDataset();

    @Override
    public String name() {
        return "stacked-mnist";
    }

    @Override
    public String description() {
        return "three MNIST digits as R, G, B (3x28x28), 1000 classes, generated from the seed (PacGAN protocol)";
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public List<String> classNames() {
        List<String> names = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            names.add(String.format("%03d", i));
        }
        return names;
    }

    @Override
    public ImageSet load(Split split, Request request) {
        ImageSet digits = mnist.load(split, request);
        int n = split == Split.TRAIN ? request.trainSize() : FakeDataset.HELD_OUT;
        return stack(digits, n, Seeds.derive(request.seed(), Seeds.DATA, split.ordinal()), name() + "-" + split.label());
    }

    /** n triples of images drawn uniformly with replacement from {@code digits}, one per channel. */
    static ImageSet stack(ImageSet digits, int n, long seed, String name) {
        int d = digits.dim();
        float[] pixels = new float[n * 3 * d];
        int[] labels = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int label = 0;
            for (int c = 0; c < 3; c++) {
                int j = rng.nextInt(digits.n());
                System.arraycopy(digits.pixels(), j * d, pixels, (i * 3 + c) * d, d);
                label = label * 10 + digits.label(j);
            }
            labels[i] = label;
        }
        return new ImageSet(name, SHAPE, n, pixels, labels);
    }

    @Override
    public String fetch(java.nio.file.Path dir, java.nio.file.Path from, java.io.PrintStream log) throws java.io.IOException {
        return mnist.fetch(dir, from, log) + "; stacked-mnist is generated from it";
    }
}
