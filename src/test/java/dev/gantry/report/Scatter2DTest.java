package dev.gantry.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.data.ToyMixture;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Scatter2DTest {

    private static final int WHITE = 0xFFFFFF;

    private static int rgb(BufferedImage img, double[] px) {
        return img.getRGB((int) px[0], (int) px[1]) & 0xFFFFFF;
    }

    private static double[] at(ToyMixture m, int k, int size) {
        return Scatter2D.pixelOf(m.mean(k, 0), m.mean(k, 1), m, size);
    }

    @Test
    void writesAReadablePngOfTheRequestedSize(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nested/ring8.png");
        Scatter2D.writePng(out, ToyMixture.RING8.sample(2500, 1), 2500, ToyMixture.RING8, 300);
        BufferedImage img = ImageIO.read(out.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(300);
        assertThat(img.getHeight()).isEqualTo(300);

        Path dflt = dir.resolve("grid25.png");
        Scatter2D.writePng(dflt, ToyMixture.GRID25.sample(100, 1), 100, ToyMixture.GRID25);
        BufferedImage d = ImageIO.read(dflt.toFile());
        assertThat(d.getWidth()).isEqualTo(Scatter2D.DEFAULT_SIZE);
        assertThat(d.getHeight()).isEqualTo(Scatter2D.DEFAULT_SIZE);
    }

    @Test
    void samplesAreDrawnWhereTheyLieAndEmptyModesStayHollow() {
        ToyMixture m = ToyMixture.GRID25;
        int size = 512;
        // A collapsed generator: every sample on mode 6.
        float[] s = ToyMixture.of("one", new double[][] {{m.mean(6, 0), m.mean(6, 1)}}, m.std()).sample(200, 3);
        BufferedImage img = Scatter2D.render(s, 200, m, size);
        assertThat(rgb(img, at(m, 6, size))).as("centre of the sampled mode").isNotEqualTo(WHITE);
        // Another mode, off the axes, shows its 3σ circle but a white centre.
        assertThat(rgb(img, at(m, 18, size))).as("centre of an empty mode").isEqualTo(WHITE);
        double[] c = at(m, 18, size);
        double r = 3 * m.std() * size / (2 * 6.15);
        boolean ring = false;
        for (int dx = -1; dx <= 1; dx++) {
            ring |= (img.getRGB((int) Math.round(c[0] + r) + dx, (int) c[1]) & 0xFFFFFF) != WHITE;
        }
        assertThat(ring).as("circle of radius 3σ around an empty mode").isTrue();
        // Far from every mode and axis the picture is background.
        assertThat(img.getRGB(5, 5) & 0xFFFFFF).isEqualTo(WHITE);
    }

    @Test
    void samplesOutsideTheViewArePinnedToTheBorderInRed() {
        ToyMixture m = ToyMixture.RING8;
        BufferedImage img = Scatter2D.render(new float[] {100f, 0f, Float.NaN, 0f}, 2, m, 200);
        double[] edge = Scatter2D.pixelOf(1.53, 0, m, 200);
        int p = img.getRGB(198, (int) edge[1]) & 0xFFFFFF;
        assertThat(p >> 16 & 0xFF).as("red").isGreaterThan(150);
        assertThat(p & 0xFF).as("blue").isLessThan(150);
    }

    @Test
    void rejectsInconsistentArguments() {
        assertThatThrownBy(() -> Scatter2D.render(new float[3], 2, ToyMixture.RING8, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scatter2D.render(new float[4], 2, ToyMixture.RING8, 8)).isInstanceOf(IllegalArgumentException.class);
    }
}
