package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code agreement10k} on real MNIST images laid out as a conditional generator's samples (sample
 * i of class i mod 10): a perfect conditional generator agrees with its labels as often as the
 * classifier is right; the same images under shifted labels agree almost never; a class collapsed
 * to one image keeps its agreement and loses its coverage.
 */
class Agreement10kTest {

    @Test
    void realImagesAgreeWithTheirLabelsShiftedLabelsDoNotAndACollapsedClassLosesCoverage() {
        try (Evaluation ev = Evaluation.of("mnist", null, "test", null, System.err)) {
            ev.conditional(10);
            ImageSet train = ev.dataset().load(Split.TRAIN, ev.request());
            float[] perfect = arrange(train, 0, -1);
            Map<String, Object> r = new Agreement10k().compute(perfect, 10_000, ev);
            assertThat((double) r.get("value")).isGreaterThan(0.98);   // the classifier's accuracy on training images
            assertThat((double) r.get("min_class_coverage")).isGreaterThan(0.8);
            double[] fid = (double[]) r.get("per_class_fid");
            assertThat(fid).hasSize(10);

            float[] shifted = arrange(train, 1, -1);                   // sample i is an image of class (i + 1) mod 10
            assertThat((double) new Agreement10k().compute(shifted, 10_000, ev).get("value")).isLessThan(0.02);

            float[] collapsed = arrange(train, 0, 3);                  // every sample of class 3 is one image
            Map<String, Object> c = new Agreement10k().compute(collapsed, 10_000, ev);
            double[] agree = (double[]) c.get("per_class_agreement");
            double[] cov = (double[]) c.get("per_class_coverage");
            double[] fidC = (double[]) c.get("per_class_fid");
            assertThat(agree[3]).as("a collapsed class still looks like its class").isGreaterThan(0.9);
            assertThat(cov[3]).as("but covers almost none of it").isLessThan(0.05);
            assertThat(fidC[3]).isGreaterThan(5 * fid[3]);
            assertThat(cov[4]).isGreaterThan(0.8);
        }
    }

    /** 10,000 training images with sample i of class (i + shift) mod 10; for class {@code collapse}, always its first image. */
    private static float[] arrange(ImageSet train, int shift, int collapse) {
        int d = train.dim();
        int[] next = new int[10];
        int[] first = new int[10];
        java.util.Arrays.fill(first, -1);
        float[] out = new float[10_000 * d];
        for (int i = 0; i < 10_000; i++) {
            int want = (i + shift) % 10;
            int j = next[want];
            while (train.label(j) != want) j++;
            next[want] = j + 1;
            if (first[want] < 0) first[want] = j;
            int src = want == collapse ? first[want] : j;
            System.arraycopy(train.pixels(), src * d, out, i * d, d);
        }
        return out;
    }
}
