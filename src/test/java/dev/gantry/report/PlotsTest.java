package dev.gantry.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.report.Plots.Options;
import dev.gantry.report.Plots.RefLine;
import dev.gantry.report.Plots.Series;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    private static final double NAN = Double.NaN;

    private static BufferedImage read(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as("readable PNG at %s", png).isNotNull();
        return img;
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void writesPngOfDefaultSizeWithNonFinitePointsPresent(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("plots/loss.png");
        Plots.linePlot(out, "losses", "step", "loss", List.of(
                new Series("loss_d", new double[] {0, 1, 2, 3, 4}, new double[] {1.4, NAN, 1.2, 1.3, 1.1}),
                new Series("loss_g", new double[] {0, 1, NAN, 3, 4},
                        new double[] {0.7, Double.POSITIVE_INFINITY, 0.8, 0.9, 0.6})));

        BufferedImage img = read(out);
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void nonFinitePointsAreDroppedNotDrawn(@TempDir Path dir) throws Exception {
        Path withNan = dir.resolve("with.png");
        Path without = dir.resolve("without.png");
        Plots.linePlot(withNan, "t", "x", "y", List.of(
                new Series("a", new double[] {0, 1, 2, 3}, new double[] {1, NAN, 3, 2})));
        Plots.linePlot(without, "t", "x", "y", List.of(
                new Series("a", new double[] {0, 2, 3}, new double[] {1, 3, 2})));
        assertThat(samePixels(read(withNan), read(without))).isTrue();
    }

    @Test
    void logAxisDropsNonPositivePoints(@TempDir Path dir) throws Exception {
        Path withZero = dir.resolve("with.png");
        Path without = dir.resolve("without.png");
        Plots.linePlot(withZero, "norms", "step", "norm", List.of(
                new Series("g", new double[] {0, 1, 2, 3}, new double[] {0, 10, -1, 100})), true);
        Plots.linePlot(without, "norms", "step", "norm", List.of(
                new Series("g", new double[] {1, 3}, new double[] {10, 100})), true);
        assertThat(samePixels(read(withZero), read(without))).isTrue();
    }

    @Test
    void singlePointEmptySeriesAndNoSeriesStillPlot(@TempDir Path dir) throws Exception {
        Plots.linePlot(dir.resolve("one.png"), "t", "x", "y",
                List.of(new Series("a", new double[] {5}, new double[] {0.3})),
                List.of(new RefLine("paper", 0.5)));
        Plots.linePlot(dir.resolve("allnan.png"), "t", "x", "y",
                List.of(new Series("a", new double[] {1, 2}, new double[] {NAN, NAN}),
                        new Series("b", new double[] {1}, new double[] {2})));
        Plots.linePlot(dir.resolve("none.png"), "t", "x", "y", List.of(), List.of(new RefLine("r", 1)));
        for (String name : List.of("one.png", "allnan.png", "none.png")) {
            assertThat(read(dir.resolve(name)).getWidth()).isEqualTo(800);
        }
    }

    @Test
    void referenceLinesAndErrorBarsChangeThePicture(@TempDir Path dir) throws Exception {
        Series s = new Series("parzen", new double[] {1, 2, 3}, new double[] {200, 210, 220});
        Series withErr = new Series("parzen", s.x(), s.y(), new double[] {5, NAN, 2});
        Plots.linePlot(dir.resolve("plain.png"), "t", "epoch", "nats", List.of(s));
        Plots.linePlot(dir.resolve("ref.png"), "t", "epoch", "nats", List.of(s),
                List.of(new RefLine("paper GAN 225", 225)));
        Plots.linePlot(dir.resolve("err.png"), "t", "epoch", "nats", List.of(withErr));

        BufferedImage plain = read(dir.resolve("plain.png"));
        assertThat(samePixels(plain, read(dir.resolve("ref.png")))).isFalse();
        assertThat(samePixels(plain, read(dir.resolve("err.png")))).isFalse();
    }

    @Test
    void honoursTheAskedSize(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("small.png");
        Plots.linePlot(out, "t", "x", "y",
                List.of(new Series("a", new double[] {0, 1}, new double[] {0.2, 0.9})),
                List.of(), Options.DEFAULT.withSize(320, 200).withYRange(0, 1));
        BufferedImage img = read(out);
        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(200);
    }

    @Test
    void plottableKeepsFinitePointsAndSanitisesErrors() {
        Series s = new Series("a", new double[] {0, 1, 2, NAN, 4}, new double[] {-1, 2, NAN, 3, 5},
                new double[] {1, -0.5, 1, 1, Double.POSITIVE_INFINITY});
        Series linear = Plots.plottable(s, false);
        assertThat(linear.x()).containsExactly(0, 1, 4);
        assertThat(linear.y()).containsExactly(-1, 2, 5);
        assertThat(linear.yErr()).containsExactly(1, 0.5, 0);

        Series log = Plots.plottable(s, true);
        assertThat(log.x()).containsExactly(1, 4);
    }

    @Test
    void seriesRejectsMismatchedLengths() {
        assertThatThrownBy(() -> new Series("a", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
        assertThatThrownBy(() -> new Series("a", new double[2], new double[2], new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yErr");
    }
}
