package dev.gantry.data;

import dev.gantry.util.Seeds;
import java.util.List;

/**
 * A 2D Gaussian mixture of PacGAN (Lin et al., 2018) as a dataset of 1×1×2 "images" (points),
 * unlabelled. Training points come from (seed, 0); validation and test points (10,000 each)
 * from (seed, 1) and (seed, 2).
 */
public final class ToyDataset implements Dataset {

    static final ImageShape SHAPE = new ImageShape(1, 1, 2);

    private final ToyMixture mixture;

    public ToyDataset(ToyMixture mixture) {
        this.mixture = mixture;
    }

    public ToyMixture mixture() {
        return mixture;
    }

    @Override
    public String name() {
        return mixture.name();
    }

    @Override
    public String description() {
        return "PacGAN's 2D mixture " + mixture + ", points generated from the seed";
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    @Override
    public ImageSet load(Split split, Request request) {
        int n = split == Split.TRAIN ? request.trainSize() : FakeDataset.HELD_OUT;
        float[] points = mixture.sample(n, Seeds.derive(request.seed(), Seeds.DATA, split.ordinal()));
        return new ImageSet(name() + "-" + split.label(), SHAPE, n, points, null);
    }
}
