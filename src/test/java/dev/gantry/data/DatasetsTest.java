package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset registry and the datasets that need no download. */
class DatasetsTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void everyRegisteredNameBuildsItsDataset() {
        assertThat(Datasets.names()).containsExactly("mnist", "fashion-mnist", "stacked-mnist", "cifar10", "fake", "ring8", "grid25");
        for (String n : Datasets.names()) {
            Dataset d = Datasets.named(n);
            assertThat(d.name()).isEqualTo(n);
            assertThat(d.description()).isNotBlank();
        }
        assertThat(Datasets.named("mnist").shape()).isEqualTo(new ImageShape(1, 28, 28));
        assertThat(Datasets.named("stacked-mnist").shape()).isEqualTo(new ImageShape(3, 28, 28));
        assertThat(Datasets.named("stacked-mnist").classNames()).hasSize(1000);
        assertThat(Datasets.named("cifar10").shape()).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(Datasets.named("ring8").classNames()).isEmpty();
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> Datasets.named("imagenet")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("data.name").hasMessageContaining("imagenet")
                .hasMessageContaining("mnist, fashion-mnist, stacked-mnist, cifar10, fake, ring8, grid25");
        RunConfig c = ConfigLoader.load("tiny", null, List.of("data.name=imagenet"));
        assertThatThrownBy(() -> Datasets.trainingSet(c, QUIET)).isInstanceOf(BadInputException.class).hasMessageContaining("imagenet");
    }

    @Test
    void theOldKeyDataSourceStillLoads() {
        RunConfig c = ConfigLoader.load("tiny", null, List.of("data.source=ring8"));
        assertThat(c.data().name()).isEqualTo("ring8");
    }

    @Test
    void fakeImagesAreLabelledByTheirBlobsPosition() {
        RunConfig c = ConfigLoader.load("tiny", null, List.of());
        ImageSet train = Datasets.trainingSet(c, QUIET);
        assertThat(train.n()).isEqualTo(200);
        assertThat(train.labelled()).isTrue();
        for (int i = 0; i < train.n(); i++) {
            // The brightest pixel lies at the blob's centre: row band from label / 5, column from label % 5.
            float[] img = train.row(i);
            int best = 0;
            for (int j = 1; j < img.length; j++) if (img[j] > img[best]) best = j;
            int y = best / 28, x = best % 28;
            int label = train.label(i);
            assertThat(Math.abs(y - (6 + 16 * (label / 5)))).as("row of image %d", i).isLessThanOrEqualTo(1);
            assertThat(Math.abs(x - (4 + 5 * (label % 5)))).as("column of image %d", i).isLessThanOrEqualTo(1);
        }
        ImageSet valid = Datasets.load(c, Split.VALID, QUIET);
        assertThat(valid.n()).isEqualTo(10_000);
        assertThat(valid.row(0)).isNotEqualTo(train.row(0));   // another stream of the seed
    }

    @Test
    void toysAreUnlabelledPoints() {
        RunConfig c = ConfigLoader.load("toy-ring8", null, List.of("data.train_size=500"));
        ImageSet train = Datasets.trainingSet(c, QUIET);
        assertThat(train.shape()).isEqualTo(new ImageShape(1, 1, 2));
        assertThat(train.labelled()).isFalse();
        assertThat(Datasets.isToy(c.data())).isTrue();
        assertThat(Datasets.mixture(c.data()).name()).isEqualTo("ring8");
    }

    @Test
    void stackedMnistPutsThreeIndependentDigitsInTheChannels() {
        // Ten "digit" images, image k filled with the value k / 10 and labelled k.
        int n = 10;
        float[] px = new float[n * 784];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            java.util.Arrays.fill(px, k * 784, (k + 1) * 784, k / 10f);
            labels[k] = k;
        }
        ImageSet digits = new ImageSet("digits", new ImageShape(1, 28, 28), n, px, labels);
        ImageSet s = StackedMnistDataset.stack(digits, 3000, 42, "stacked");
        assertThat(s.shape()).isEqualTo(new ImageShape(3, 28, 28));
        Set<Integer> seen = new HashSet<>();
        int[][] perChannel = new int[3][10];
        for (int i = 0; i < s.n(); i++) {
            float[] img = s.row(i);
            int r = Math.round(img[0] * 10), g = Math.round(img[784] * 10), b = Math.round(img[2 * 784] * 10);
            assertThat(img[783]).isEqualTo(img[0]);            // the whole R plane is one digit image
            assertThat(s.label(i)).isEqualTo(100 * r + 10 * g + b);
            seen.add(s.label(i));
            perChannel[0][r]++;
            perChannel[1][g]++;
            perChannel[2][b]++;
        }
        // 3,000 draws of 1,000 equally likely triples cover about 950 of them (1000·(1 − e^−3)).
        assertThat(seen.size()).isBetween(900, 990);
        for (int[] counts : perChannel) {
            for (int c : counts) assertThat(c).isBetween(220, 380);   // ~300 each
        }
        // Same seed, same images; another seed, others.
        assertThat(StackedMnistDataset.stack(digits, 3000, 42, "again").labels()).containsExactly(s.labels());
        assertThat(StackedMnistDataset.stack(digits, 3000, 43, "other").labels()).isNotEqualTo(s.labels());
    }

    @Test
    void cifarWithoutFilesSaysHowToGetThem(@TempDir Path dir) {
        RunConfig c = ConfigLoader.load("dcgan-cifar10", null, List.of("data.dir=" + dir.resolve("none")));
        assertThatThrownBy(() -> Datasets.trainingSet(c, QUIET)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot be fetched here").hasMessageContaining("--from");
        assertThatThrownBy(() -> Datasets.named("cifar10").fetch(dir, null, QUIET)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--from DIR");
    }
}
