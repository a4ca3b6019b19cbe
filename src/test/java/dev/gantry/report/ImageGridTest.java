package dev.gantry.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xFFFFFF;
    private static final int GRAY = ImageGrid.SEPARATOR_RGB;

    /** Three 3x3 images, uniformly 0, 1 and 0.5. */
    private static float[] threeFlatImages() {
        float[] images = new float[3 * 9];
        Arrays.fill(images, 9, 18, 1f);
        Arrays.fill(images, 18, 27, 0.5f);
        return images;
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    /** Asserts every pixel of the rectangle [x0, x0+width) x [y0, y0+height) has color {@code rgb}. */
    private static void assertRect(BufferedImage img, int x0, int y0, int width, int height, int rgb) {
        for (int y = y0; y < y0 + height; y++) {
            for (int x = x0; x < x0 + width; x++) {
                assertThat(rgb(img, x, y)).as("pixel (%d, %d)", x, y).isEqualTo(rgb);
            }
        }
    }

    @Test
    void sizeFollowsTheDocumentedFormula() {
        int h = 3, w = 5, cols = 4, scale = 3;
        for (int n : new int[] {1, 4, 5, 8, 9}) {
            BufferedImage img = ImageGrid.render(new float[n * h * w], n, h, w, cols, scale);
            int rows = (n + cols - 1) / cols;
            assertThat(img.getWidth()).isEqualTo(cols * (w * scale + 1) + 1);
            assertThat(img.getHeight()).isEqualTo(rows * (h * scale + 1) + 1);
        }
    }

    @Test
    void twoByTwoGridHasExactCellAndSeparatorColors() {
        int scale = 2; // cells are 6x6, so the grid is 2*(6+1)+1 = 15 square
        BufferedImage img = ImageGrid.render(threeFlatImages(), 3, 3, 3, 2, scale);
        assertThat(img.getWidth()).isEqualTo(15);
        assertThat(img.getHeight()).isEqualTo(15);

        assertRect(img, 1, 1, 6, 6, BLACK);          // image 0, value 0
        assertRect(img, 8, 1, 6, 6, WHITE);          // image 1, value 1
        assertRect(img, 1, 8, 6, 6, 0x808080);       // image 2, value 0.5 -> round(127.5) = 128
        assertRect(img, 8, 8, 6, 6, GRAY);           // empty trailing cell

        assertRect(img, 0, 0, 15, 1, GRAY);          // top border
        assertRect(img, 0, 14, 15, 1, GRAY);         // bottom border
        assertRect(img, 0, 0, 1, 15, GRAY);          // left border
        assertRect(img, 14, 0, 1, 15, GRAY);         // right border
        assertRect(img, 7, 0, 1, 15, GRAY);          // between the columns
        assertRect(img, 0, 7, 15, 1, GRAY);          // between the rows
    }

    @Test
    void pixelsAreReadRowMajorAndScaledAsBlocks() {
        // One 2x3 image whose pixels are all distinct: a transposed read would show here.
        float[] image = {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f};
        BufferedImage img = ImageGrid.render(image, 1, 2, 3, 1, 2);
        assertThat(img.getWidth()).isEqualTo(3 * 2 + 2);
        assertThat(img.getHeight()).isEqualTo(2 * 2 + 2);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                int g = Math.round(image[r * 3 + c] * 255f);
                assertRect(img, 1 + 2 * c, 1 + 2 * r, 2, 2, (g << 16) | (g << 8) | g);
            }
        }
    }

    @Test
    void outOfRangeValuesAreClampedAndNanIsRed() {
        float[] image = {-3f, 7f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1.0001f};
        BufferedImage img = ImageGrid.render(image, 1, 1, 6, 1, 1);
        assertThat(rgb(img, 1, 1)).isEqualTo(BLACK);
        assertThat(rgb(img, 2, 1)).isEqualTo(WHITE);
        assertThat(rgb(img, 3, 1)).isEqualTo(BLACK);
        assertThat(rgb(img, 4, 1)).isEqualTo(WHITE);
        assertThat(rgb(img, 5, 1)).isEqualTo(ImageGrid.NAN_RGB);
        assertThat(rgb(img, 6, 1)).isEqualTo(WHITE);
    }

    @Test
    void highlightedColumnGetsAWiderOrangeBarOnItsLeft() {
        float[] images = threeFlatImages();
        BufferedImage plain = ImageGrid.render(images, 3, 3, 3, 2, 2);
        BufferedImage marked = ImageGrid.render(images, 3, 3, 3, 2, 2, c -> c == 1);

        assertThat(marked.getWidth()).isEqualTo(plain.getWidth() + ImageGrid.HIGHLIGHT_GAP - 1);
        assertThat(marked.getHeight()).isEqualTo(plain.getHeight());
        // Column 0 is unchanged; the bar spans the full height; column 1 moves right by 2.
        assertRect(marked, 1, 1, 6, 6, BLACK);
        assertRect(marked, 7, 0, ImageGrid.HIGHLIGHT_GAP, 15, ImageGrid.HIGHLIGHT_RGB);
        assertRect(marked, 10, 1, 6, 6, WHITE);
        assertRect(marked, 10, 8, 6, 6, GRAY);
        assertRect(marked, 16, 0, 1, 15, GRAY);
    }

    @Test
    void highlightingTheFirstColumnWidensTheLeftBorder() {
        BufferedImage img = ImageGrid.render(new float[] {1f}, 1, 1, 1, 1, 1, c -> c == 0);
        assertThat(img.getWidth()).isEqualTo(ImageGrid.HIGHLIGHT_GAP + 2);
        assertRect(img, 0, 0, ImageGrid.HIGHLIGHT_GAP, 3, ImageGrid.HIGHLIGHT_RGB);
        assertThat(rgb(img, ImageGrid.HIGHLIGHT_GAP, 1)).isEqualTo(WHITE);
    }

    @Test
    void rejectsShapeMismatchAndNonPositiveSizes() {
        assertThatThrownBy(() -> ImageGrid.render(new float[26], 3, 3, 3, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("26");
        assertThatThrownBy(() -> ImageGrid.render(new float[9], 1, 3, 3, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols");
        assertThatThrownBy(() -> ImageGrid.render(new float[9], 1, 3, 3, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    }

    @Test
    void writePngIsReadableAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nested/samples/grid.png");
        ImageGrid.writePng(out, threeFlatImages(), 3, 3, 3, 2, 2);
        ImageGrid.writePng(out, threeFlatImages(), 3, 3, 3, 2, 2); // replaces an existing file

        BufferedImage back = ImageIO.read(out.toFile());
        BufferedImage expected = ImageGrid.render(threeFlatImages(), 3, 3, 3, 2, 2);
        assertThat(back).isNotNull();
        assertThat(back.getWidth()).isEqualTo(expected.getWidth());
        assertThat(back.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < back.getHeight(); y++) {
            for (int x = 0; x < back.getWidth(); x++) {
                assertThat(rgb(back, x, y)).isEqualTo(rgb(expected, x, y));
            }
        }
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void threeChannelImagesAreDrawnInColourChannelMajor() {
        // One 2×2 image, CHW: red plane (1, 0, 0, 0), green plane (0, 1, 0, 0), blue plane (0, 0, 1, 0.5).
        float[] img = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0.5f};
        BufferedImage grid = ImageGrid.render(img, 1, 3, 2, 2, 1, 1, c -> false);
        assertThat(grid.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFF0000);   // pixel (0, 0): red
        assertThat(grid.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0x00FF00);   // pixel (0, 1): green
        assertThat(grid.getRGB(1, 2) & 0xFFFFFF).isEqualTo(0x0000FF);   // pixel (1, 0): blue
        assertThat(grid.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x000080);   // pixel (1, 1): half blue
        float[] nan = img.clone();
        nan[6] = Float.NaN;                                              // green of pixel (1, 0)
        assertThat(ImageGrid.render(nan, 1, 3, 2, 2, 1, 1, c -> false).getRGB(1, 2) & 0xFFFFFF).isEqualTo(ImageGrid.NAN_RGB);
        assertThatThrownBy(() -> ImageGrid.render(img, 1, 2, 2, 3, 1, 1, c -> false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels");
        assertThatThrownBy(() -> ImageGrid.render(img, 2, 3, 2, 2, 1, 1, c -> false)).isInstanceOf(IllegalArgumentException.class);
    }
}
