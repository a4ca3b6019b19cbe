package dev.gantry.eval;

import dev.gantry.BadInputException;
import dev.gantry.data.ImageSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference rows printed beside every score, so that a number can be read against what a
 * perfect and a broken generator get (docs/evaluation.md): real against real, and four known
 * failures. A metric that ranks a failure above the real row is a bug (or, for the Parzen window,
 * the known flaw it is documented with: it rewards blur).
 */
public final class Calibration {

    private Calibration() {}

    /**
     * The calibration sets of {@code n} images each, all different from the test images they
     * are compared with except the blurred row (which is the test images, blurred):
     * <ul>
     *   <li>{@code real}: train[0:n];
     *   <li>{@code uniform-noise}: every pixel uniform in [0, 1] (seeded);
     *   <li>{@code blurred-test}: the first n test images under a Gaussian blur of σ = 1 pixel;
     *   <li>{@code classes-0-4}: the first n training images labelled 0 to 4 (half the classes);
     *   <li>{@code one-image}: n copies of train[0] (total collapse).
     * </ul>
     */
    public static Map<String, float[]> sets(ImageSet train, ImageSet test, int n, long seed) {
        if (train.n() < 2 * n || test.n() < n || !train.labelled()) {
            throw new BadInputException("calibration needs " + 2 * n + " labelled training and " + n + " test images (have "
                    + train.n() + " and " + test.n() + ")");
        }
        int d = train.dim();
        Map<String, float[]> sets = new LinkedHashMap<>();
        sets.put("real", train.slice(0, n).pixels());
        float[] noise = new float[n * d];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextDouble();
        }
        sets.put("uniform-noise", noise);
        sets.put("blurred-test", blur(test.slice(0, n), 1.0));
        float[] half = new float[n * d];
        int k = 0;
        for (int i = 0; i < train.n() && k < n; i++) {
            if (train.label(i) <= 4) {
                System.arraycopy(train.pixels(), i * d, half, k * d, d);
                k++;
            }
        }
        if (k < n) {
            throw new BadInputException("calibration: only " + k + " training images of classes 0-4, need " + n);
        }
        sets.put("classes-0-4", half);
        float[] copies = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(train.pixels(), 0, copies, i * d, d);
        }
        sets.put("one-image", copies);
        return sets;
    }

    /** Each channel of each image convolved with a normalised Gaussian of {@code sigma} pixels (edges clamped). */
    static float[] blur(ImageSet images, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            w[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += w[i + r];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        int h = images.shape().height();
        int wd = images.shape().width();
        int planes = images.n() * images.shape().channels();
        float[] in = images.pixels();
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        for (int p = 0; p < planes; p++) {
            int base = p * h * wd;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += w[i + r] * in[base + y * wd + Math.min(wd - 1, Math.max(0, x + i))];
                    }
                    tmp[base + y * wd + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += w[i + r] * tmp[base + Math.min(h - 1, Math.max(0, y + i)) * wd + x];
                    }
                    out[base + y * wd + x] = (float) Math.min(1.0, Math.max(0.0, s));
                }
            }
        }
        return out;
    }
}
