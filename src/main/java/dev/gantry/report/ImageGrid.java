package dev.gantry.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.RenderedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Lays out images in [0, 1] (grey, or RGB for three channels) as one grid picture, the way the GAN paper shows samples
 * (Goodfellow et al., 2014, "Generative Adversarial Nets", Figure 2).
 *
 * <p>Layout, in output pixels: every cell is {@code w*scale} by {@code h*scale}; cells are
 * separated from each other and from the picture's edge by a 1-pixel mid-gray line, so a plain
 * grid is {@code cols*(w*scale+1)+1} wide and {@code rows*(h*scale+1)+1} high with
 * {@code rows = ceil(n/cols)}. Cells past the last image stay gray. Pixel values follow MNIST:
 * 0 is black, 1 is white; values outside [0, 1] are clamped, and NaN is painted red so a diverged
 * generator is visible in the grid rather than silently black.
 *
 * <p>Highlighted columns (Figure 2 puts the nearest training example in the last column) get a
 * {@value #HIGHLIGHT_GAP}-pixel orange bar in place of the 1-pixel line on their left, which
 * widens the picture by {@code HIGHLIGHT_GAP - 1} pixels per highlighted column.
 */
public final class ImageGrid {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Width in pixels of the bar left of a highlighted column. */
    public static final int HIGHLIGHT_GAP = 3;
    /** Separator and empty-cell color. */
    public static final int SEPARATOR_RGB = 0x808080;
    /** Color of the bar left of a highlighted column. */
    public static final int HIGHLIGHT_RGB = 0xFFA500;
    /** Color of a NaN pixel. */
    public static final int NAN_RGB = 0xFF0000;

    private ImageGrid() {}

    /**
     * Renders {@code n} images of {@code h x w} pixels, row-major, image {@code i} starting at
     * {@code images[i*h*w]}, into a grid {@code cols} cells wide, each pixel blown up to a
     * {@code scale x scale} block.
     *
     * @throws IllegalArgumentException if a size is not positive or {@code images.length != n*h*w}
     */
    public static BufferedImage render(float[] images, int n, int h, int w, int cols, int scale) {
        return render(images, n, h, w, cols, scale, c -> false);
    }

    /**
     * Like {@link #render(float[], int, int, int, int, int)}, with an orange bar before every
     * column {@code c} for which {@code highlightColumn.test(c)}.
     */
    public static BufferedImage render(float[] images, int n, int h, int w, int cols, int scale,
            IntPredicate highlightColumn) {
        return render(images, n, 1, h, w, cols, scale, highlightColumn);
    }

    /**
     * Renders {@code n} images of {@code channels × h × w} values, channel-major (CHW) each: one
     * channel is grey, three are red, green and blue.
     *
     * @throws IllegalArgumentException if channels is neither 1 nor 3, a size is not positive or
     *     {@code images.length != n*channels*h*w}
     */
    public static BufferedImage render(float[] images, int n, int channels, int h, int w, int cols, int scale,
            IntPredicate highlightColumn) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images need 1 (grey) or 3 (RGB) channels, got " + channels);
        }
        checkPositive("n", n);
        checkPositive("h", h);
        checkPositive("w", w);
        checkPositive("cols", cols);
        checkPositive("scale", scale);
        if (images.length != (long) n * channels * h * w) {
            throw new IllegalArgumentException("images has " + images.length + " values, but n*c*h*w = "
                    + n + "*" + channels + "*" + h + "*" + w + " = " + (long) n * channels * h * w);
        }
        int rows = (n + cols - 1) / cols;
        int cellW = w * scale;
        int cellH = h * scale;

        int[] cellX = new int[cols];
        boolean[] highlighted = new boolean[cols];
        int x = 0;
        for (int c = 0; c < cols; c++) {
            highlighted[c] = highlightColumn.test(c);
            x += highlighted[c] ? HIGHLIGHT_GAP : 1;
            cellX[c] = x;
            x += cellW;
        }
        int width = Math.addExact(x, 1);
        int height = Math.addExact(Math.multiplyExact(rows, cellH + 1), 1);
        Math.multiplyExact(width, height); // a grid that overflows int pixels is a caller bug

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        Arrays.fill(px, SEPARATOR_RGB);
        for (int c = 0; c < cols; c++) {
            if (!highlighted[c]) {
                continue;
            }
            for (int y = 0; y < height; y++) {
                int row = y * width;
                Arrays.fill(px, row + cellX[c] - HIGHLIGHT_GAP, row + cellX[c], HIGHLIGHT_RGB);
            }
        }

        for (int i = 0; i < n; i++) {
            int x0 = cellX[i % cols];
            int y0 = 1 + (i / cols) * (cellH + 1);
            int base = i * channels * h * w;
            int plane = h * w;
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    int at = base + r * w + col;
                    int rgb = channels == 1 ? toRgb(images[at])
                            : toRgb(images[at], images[at + plane], images[at + 2 * plane]);
                    for (int dy = 0; dy < scale; dy++) {
                        int start = (y0 + r * scale + dy) * width + x0 + col * scale;
                        Arrays.fill(px, start, start + scale, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** Renders as {@link #render(float[], int, int, int, int, int)} and writes a PNG atomically. */
    public static void writePng(Path out, float[] images, int n, int h, int w, int cols, int scale) {
        writePng(out, render(images, n, h, w, cols, scale));
    }

    /** Renders images of {@code shape} (grey or RGB) and writes a PNG atomically. */
    public static void writePng(Path out, float[] images, int n, dev.gantry.data.ImageShape shape, int cols, int scale) {
        writePng(out, render(images, n, shape.channels(), shape.height(), shape.width(), cols, scale, c -> false));
    }

    /**
     * Writes {@code image} as a PNG at {@code out}, creating parent directories; the file appears
     * complete or not at all.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void writePng(Path out, RenderedImage image) {
        AtomicFiles.writePng(out, image);
    }

    static int toRgb(float v) {
        if (Float.isNaN(v)) {
            return NAN_RGB;
        }
        int g = Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
        return (g << 16) | (g << 8) | g;
    }

    /** An RGB pixel from three channel values; NaN in any channel paints it red. */
    static int toRgb(float r, float g, float b) {
        if (Float.isNaN(r) || Float.isNaN(g) || Float.isNaN(b)) {
            return NAN_RGB;
        }
        return (level(r) << 16) | (level(g) << 8) | level(b);
    }

    private static int level(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    private static void checkPositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
