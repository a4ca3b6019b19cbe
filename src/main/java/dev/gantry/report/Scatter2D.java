package dev.gantry.report;

import dev.gantry.data.ToyMixture;
import dev.gantry.eval.ModeCoverage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Draws 2D samples as dots over the modes of a mixture, the mode-collapse pictures of Lin et al.
 * (2018), "PacGAN: The power of two samples in generative adversarial networks", Figure 2.
 *
 * <p>The picture is square, white, with faint axes through the origin. Each sample is a small
 * translucent black dot, so dense clusters read darker; over them each mode is a blue circle of
 * radius 3σ around its mean, the high-quality region of {@link ModeCoverage}. The view is
 * centred on the origin and spans the means' extent plus half of it again on each side, plus 3σ:
 * [−1.53, 1.53]² for {@code ring8}, [−6.15, 6.15]² for {@code grid25}. A finite sample outside the
 * view is drawn in red, pinned to the border, so a diverging generator is visible rather than
 * silently cropped; NaN and infinite samples are not drawn. Renders headless with Java2D.
 */
public final class Scatter2D {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Picture side in pixels when none is given. */
    public static final int DEFAULT_SIZE = 512;
    public static final Color BACKGROUND = Color.WHITE;
    public static final Color AXIS = new Color(0xDDDDDD);
    public static final Color MODE = new Color(0x1F77B4);
    public static final Color SAMPLE = new Color(0, 0, 0, 140);
    public static final Color OUTSIDE = new Color(0xD62728);

    private Scatter2D() {}

    /** Renders as {@link #render} at {@value #DEFAULT_SIZE}×{@value #DEFAULT_SIZE} and writes a PNG atomically. */
    public static void writePng(Path out, float[] samples, int n, ToyMixture mixture) {
        writePng(out, samples, n, mixture, DEFAULT_SIZE);
    }

    /**
     * Renders as {@link #render} and writes a PNG at {@code out} atomically, creating parent
     * directories.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void writePng(Path out, float[] samples, int n, ToyMixture mixture, int size) {
        AtomicFiles.writePng(out, render(samples, n, mixture, size));
    }

    /**
     * Draws {@code n} points, row-major {@code [n, 2]} in {@code samples}, over the modes of
     * {@code mixture} on a {@code size}×{@code size} picture.
     *
     * @throws IllegalArgumentException if {@code samples.length != 2n} or {@code size < 16}
     */
    public static BufferedImage render(float[] samples, int n, ToyMixture mixture, int size) {
        if (n < 0 || samples.length != 2L * n) {
            throw new IllegalArgumentException("samples has " + samples.length + " values; expected 2*n = 2*" + n);
        }
        if (size < 16) {
            throw new IllegalArgumentException("size must be at least 16 pixels, got " + size);
        }
        View v = View.of(mixture, size);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, size, size);

            g.setColor(AXIS);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(v.px(0), 0, v.px(0), size));
            g.draw(new Line2D.Double(0, v.py(0), size, v.py(0)));

            double dot = Math.max(2.0, size / 256.0);
            for (int i = 0; i < n; i++) {
                float x = samples[2 * i];
                float y = samples[2 * i + 1];
                if (!Float.isFinite(x) || !Float.isFinite(y)) {
                    continue;
                }
                boolean inside = Math.abs(x) <= v.half && Math.abs(y) <= v.half;
                double px = clamp(v.px(x), dot / 2, size - dot / 2);
                double py = clamp(v.py(y), dot / 2, size - dot / 2);
                g.setColor(inside ? SAMPLE : OUTSIDE);
                g.fill(new Ellipse2D.Double(px - dot / 2, py - dot / 2, dot, dot));
            }

            // Circles last, so a dense cluster does not hide its mode's high-quality region.
            double r = hqRadius(mixture) * v.scale;
            g.setColor(MODE);
            g.setStroke(new BasicStroke(Math.max(1f, size / 400f)));
            for (int k = 0; k < mixture.modes(); k++) {
                double cx = v.px(mixture.mean(k, 0));
                double cy = v.py(mixture.mean(k, 1));
                g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The pixel (column, row) at which the point (x, y) is drawn on a {@code size} picture. */
    static double[] pixelOf(double x, double y, ToyMixture mixture, int size) {
        View v = View.of(mixture, size);
        return new double[] {v.px(x), v.py(y)};
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The square [−half, half]² mapped onto {@code size} pixels, y up. */
    private record View(double half, double scale) {
        static View of(ToyMixture m, int size) {
            double extent = 0;
            for (int k = 0; k < m.modes(); k++) {
                extent = Math.max(extent, Math.max(Math.abs(m.mean(k, 0)), Math.abs(m.mean(k, 1))));
            }
            double half = 1.5 * extent + hqRadius(m);
            if (half == 0) {
                half = 1; // one mode at the origin with a tiny std still gets a view
            }
            return new View(half, size / (2 * half));
        }

        double px(double x) {
            return (x + half) * scale;
        }

        double py(double y) {
            return (half - y) * scale;
        }
    }

    /** The high-quality radius of the PacGAN protocol, 3σ. */
    private static double hqRadius(ToyMixture m) {
        return ModeCoverage.THRESHOLD_STDS * m.std();
    }
}
