package dev.gantry.data;

import dev.gantry.util.Seeds;
import java.util.List;

/**
 * Synthetic 28×28 blobs at ten positions ({@link FakeImages}), labelled by position: seconds per
 * epoch, for tests and smoke runs. Training images come from (seed, 0), validation and test
 * images (10,000 each) from (seed, 1) and (seed, 2).
 */
public final class FakeDataset implements Dataset {

    static final int HELD_OUT = 10_000;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String description() {
        return "synthetic 1x28x28 blobs at 10 positions (labelled by position), generated from the seed; for tests";
    }

    @Override
    public ImageShape shape() {
        return IdxDigitsDataset.SHAPE;
    }

    @Override
    public List<String> classNames() {
        return IdxDigitsDataset.digits();
    }

    @Override
    public ImageSet load(Split split, Request request) {
        int n = split == Split.TRAIN ? request.trainSize() : HELD_OUT;
        ImageSet s = FakeImages.generate(n, Seeds.derive(request.seed(), Seeds.DATA, split.ordinal()));
        return new ImageSet("fake-" + split.label(), s.shape(), s.n(), s.pixels(), s.labels());
    }
}
