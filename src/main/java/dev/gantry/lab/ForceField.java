package dev.gantry.lab;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.data.ToyMixture;
import dev.gantry.optim.Optimizer;
import dev.gantry.util.Seeds;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The discriminator as a force field on the generator's samples: in the game of Goodfellow et al.
 * (2014), all G learns from D is ∂(G's loss)/∂x at its samples x = G(z), so −∇ₓ L_G is the
 * direction each fake sample is pushed.
 *
 * <p>On the {@code ring8} mixture (eight modes on the unit circle, σ = 0.01; Lin et al. 2018), a
 * fixed G = N(0, gStd²·I) sits in the middle, and D (2 → width → width → 1, ReLU, Adam) is trained
 * against it. At chosen steps the picture shows D(x) over the plane (colour, in ten bands) and, at
 * fixed fake samples, arrows along −∇ₓ(−log D(x)) (the non-saturating loss), their lengths
 * proportional to the magnitude within each panel. The numbers reported per panel are the fraction
 * of those pushes that point towards the sample's nearest mode (positive cosine) and their mean
 * cosine with that direction (1 would be straight at it), with the mean D on data and on fakes.
 */
public final class ForceField {

    static final int PANEL = 420;
    static final int TITLE = 40;
    static final int GAP = 10;
    static final int CELL = 4;
    static final double HALF = 1.6;
    static final int EVAL_SAMPLES = 2000;

    private ForceField() {}

    /**
     * @param gStd standard deviation of the fixed generator N(0, gStd²·I)
     * @param snapshots steps of D after which a panel is drawn, increasing
     * @param batch samples per minibatch
     * @param lr Adam's learning rate (β1 = 0.5)
     * @param width hidden units per layer of D
     * @param arrows fake samples that get an arrow
     * @param seed seed of the initialisation and of every batch
     * @param out directory of the PNG
     */
    public record Params(double gStd, List<Integer> snapshots, int batch, double lr, int width, int arrows,
            long seed, Path out) {

        public Params {
            Checks.positive("--g-std", gStd);
            Checks.notNull("--snapshots", snapshots);
            if (snapshots.isEmpty() || snapshots.size() > 6) {
                throw new BadInputException("--snapshots must list 1 to 6 steps (got " + snapshots.size() + ")");
            }
            int prev = 0;
            for (Integer s : snapshots) {
                if (s == null || s <= prev || s > 1_000_000) {
                    throw new BadInputException("--snapshots must be increasing steps in 1..1000000 (got " + snapshots + ")");
                }
                prev = s;
            }
            snapshots = List.copyOf(snapshots);
            Checks.intRange("--batch", batch, 1, 1 << 16);
            Checks.range("--lr", lr, 0, 1);
            Checks.intRange("--width", width, 1, 1024);
            Checks.intRange("--arrows", arrows, 1, 1000);
            Checks.outDir(out);
        }

        public static Params defaults() {
            return new Params(0.3, List.of(25, 200, 1000), 256, 1e-3, 64, 60, 0, Path.of("lab-out"));
        }

        public Params withSnapshots(List<Integer> snapshots) {
            return new Params(gStd, snapshots, batch, lr, width, arrows, seed, out);
        }

        public Params withOut(Path out) {
            return new Params(gStd, snapshots, batch, lr, width, arrows, seed, out);
        }
    }

    /**
     * @param towardNearestMode fraction of arrows with a positive cosine to (nearest mode − x)
     * @param meanCosine the mean of that cosine
     * @param meanDData mean D on data samples
     * @param meanDFake mean D on the fixed generator's samples
     * @param meanPush mean |∇ₓ(−log D)| at the arrowed samples
     */
    public record Snapshot(int step, double towardNearestMode, double meanCosine, double meanDData, double meanDFake, double meanPush) {}

    public record Result(List<Snapshot> snapshots, double seconds, String png) {

        public String line() {
            StringBuilder s = new StringBuilder();
            for (Snapshot p : snapshots) {
                s.append(String.format(java.util.Locale.ROOT, "%sstep %d: %.0f%% toward nearest mode, mean cosine %.2f (D data %.2f, fake %.2f)",
                        s.length() == 0 ? "" : "; ", p.step(), 100 * p.towardNearestMode(), p.meanCosine(), p.meanDData(),
                        p.meanDFake()));
            }
            return String.format(java.util.Locale.ROOT, "force-field: pushes -grad_x L_G on ring8: %s (%.1f s) -> %s",
                    s, seconds, png);
        }
    }

    public static Result run(Params p) {
        long start = System.nanoTime();
        ToyMixture ring = ToyMixture.RING8;
        float[] arrowsAt = gaussian2d(p.arrows(), p.gStd(), LabNets.seed(p.seed(), 9, 0));
        float[] evalFake = gaussian2d(EVAL_SAMPLES, p.gStd(), LabNets.seed(p.seed(), 9, 1));
        float[] evalReal = ring.sample(EVAL_SAMPLES, LabNets.seed(p.seed(), 9, 2));
        int cells = PANEL / CELL;
        float[] grid = new float[cells * cells * 2];
        for (int r = 0; r < cells; r++) {
            for (int c = 0; c < cells; c++) {
                grid[2 * (r * cells + c)] = (float) (-HALF + (c + 0.5) * 2 * HALF / cells);
                grid[2 * (r * cells + c) + 1] = (float) (HALF - (r + 0.5) * 2 * HALF / cells);
            }
        }
        List<Snapshot> snaps = new ArrayList<>();
        List<BufferedImage> panels = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(p.seed(), Seeds.INIT, 0);
            Mlp d = new Mlp(manager, "d", 2, p.width(), 2, Mlp.Activation.RELU);
            Optimizer opt = LabNets.adam(manager, d.params(), p.lr(), 0.5);
            int step = 0;
            for (int target : p.snapshots()) {
                for (; step < target; step++) {
                    LabNets.discriminatorStep(manager, d, opt, ring.sample(p.batch(), LabNets.seed(p.seed(), 0, step)),
                            gaussian2d(p.batch(), p.gStd(), LabNets.seed(p.seed(), 1, step)));
                }
                double[] dGrid = Figure1.sigmoid(d.evaluate(manager, grid));
                LabNets.InputGradients g = LabNets.inputGradients(manager, d, arrowsAt);
                double[][] push = new double[p.arrows()][2];
                int toward = 0;
                double cosSum = 0;
                double meanPush = 0;
                for (int i = 0; i < p.arrows(); i++) {
                    push[i][0] = -g.nonSaturating()[i][0];
                    push[i][1] = -g.nonSaturating()[i][1];
                    double[] m = nearestMode(ring, arrowsAt[2 * i], arrowsAt[2 * i + 1]);
                    double ex = m[0] - arrowsAt[2 * i];
                    double ey = m[1] - arrowsAt[2 * i + 1];
                    double dot = push[i][0] * ex + push[i][1] * ey;
                    if (dot > 0) {
                        toward++;
                    }
                    double norms = Math.hypot(push[i][0], push[i][1]) * Math.hypot(ex, ey);
                    cosSum += norms > 0 ? dot / norms : 0;
                    meanPush += Math.hypot(push[i][0], push[i][1]);
                }
                Snapshot s = new Snapshot(target, (double) toward / p.arrows(), cosSum / p.arrows(), mean(Figure1.sigmoid(d.evaluate(manager, evalReal))),
                        mean(Figure1.sigmoid(d.evaluate(manager, evalFake))), meanPush / p.arrows());
                snaps.add(s);
                panels.add(panel(s, dGrid, cells, ring, arrowsAt, push));
            }
        }
        Path png = p.out().resolve("force-field.png");
        LabCharts.write(png, withColourBar(LabCharts.tile(panels, panels.size())));
        return new Result(snaps, (System.nanoTime() - start) / 1e9, png.toString());
    }

    private static BufferedImage panel(Snapshot s, double[] dGrid, int cells, ToyMixture ring, float[] at, double[][] push) {
        // A white strip on the right separates neighbouring panels.
        BufferedImage img = new BufferedImage(PANEL + GAP, PANEL + TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, PANEL + GAP, PANEL + TITLE);
            for (int r = 0; r < cells; r++) {
                for (int c = 0; c < cells; c++) {
                    g.setColor(colour(dGrid[r * cells + c]));
                    g.fillRect(c * CELL, TITLE + r * CELL, CELL, CELL);
                }
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(String.format(java.util.Locale.ROOT, "D after %d steps: D(data) %.2f, D(G(z)) %.2f", s.step(),
                    s.meanDData(), s.meanDFake()), 8, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(String.format(java.util.Locale.ROOT, "pushes: %.0f%% toward nearest mode, cos %.2f, |push| %.2g",
                    100 * s.towardNearestMode(), s.meanCosine(), s.meanPush()), 8, 33);
            g.setStroke(new BasicStroke(2f));
            for (int k = 0; k < ring.modes(); k++) {
                double[] px = pixel(ring.mean(k, 0), ring.mean(k, 1));
                g.draw(new Ellipse2D.Double(px[0] - 5, px[1] - 5, 10, 10));
            }
            double maxLen = 0;
            for (double[] v : push) {
                maxLen = Math.max(maxLen, Math.hypot(v[0], v[1]));
            }
            g.setStroke(new BasicStroke(1.4f));
            for (int i = 0; i < push.length; i++) {
                double[] from = pixel(at[2 * i], at[2 * i + 1]);
                g.setColor(new Color(0x333333));
                g.fill(new Ellipse2D.Double(from[0] - 2.5, from[1] - 2.5, 5, 5));
                double len = Math.hypot(push[i][0], push[i][1]);
                if (maxLen == 0 || len == 0) {
                    continue;
                }
                double pixels = 45 * len / maxLen;
                double ux = push[i][0] / len;
                double uy = -push[i][1] / len;   // y grows downwards on the picture
                arrow(g, from[0], from[1], from[0] + ux * pixels, from[1] + uy * pixels);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void arrow(Graphics2D g, double x0, double y0, double x1, double y1) {
        g.setColor(Color.BLACK);
        g.draw(new Line2D.Double(x0, y0, x1, y1));
        double len = Math.hypot(x1 - x0, y1 - y0);
        if (len < 3) {
            return;
        }
        double ux = (x1 - x0) / len;
        double uy = (y1 - y0) / len;
        double head = Math.min(7, 0.5 * len);
        Path2D.Double tip = new Path2D.Double();
        tip.moveTo(x1, y1);
        tip.lineTo(x1 - head * ux + 0.5 * head * uy, y1 - head * uy - 0.5 * head * ux);
        tip.lineTo(x1 - head * ux - 0.5 * head * uy, y1 - head * uy + 0.5 * head * ux);
        tip.closePath();
        g.fill(tip);
    }

    private static double[] pixel(double x, double y) {
        double scale = PANEL / (2 * HALF);
        return new double[] {(x + HALF) * scale, TITLE + (HALF - y) * scale};
    }

    /** Ten bands from blue (D = 0: "fake") through white to red (D = 1: "real"). */
    static Color colour(double d) {
        int band = (int) Math.min(9, Math.max(0, Math.floor(d * 10)));
        double t = (band + 0.5) / 10;
        Color lo = new Color(0x2166AC);
        Color mid = new Color(0xF7F7F7);
        Color hi = new Color(0xB2182B);
        Color a = t < 0.5 ? lo : mid;
        Color b = t < 0.5 ? mid : hi;
        double u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
        return new Color((int) Math.round(a.getRed() + u * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + u * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + u * (b.getBlue() - a.getBlue())));
    }

    private static BufferedImage withColourBar(BufferedImage body) {
        int bar = 48;
        BufferedImage img = new BufferedImage(body.getWidth(), body.getHeight() + bar, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(body, 0, 0, null);
            int y = body.getHeight() + 8;
            for (int i = 0; i < 10; i++) {
                g.setColor(colour((i + 0.5) / 10));
                g.fillRect(10 + 20 * i, y, 20, 14);
            }
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("D(x): 0 (blue) to 1 (red), bands of 0.1.  Circles: the ring8 modes.  Dots: samples of the fixed G.", 220, y + 12);
            g.drawString("Arrows: -grad_x(-log D(x)), the push the non-saturating loss puts on each sample (length relative within a panel).",
                    220, y + 28);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static double[] nearestMode(ToyMixture m, double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        double[] at = null;
        for (int k = 0; k < m.modes(); k++) {
            double dx = m.mean(k, 0) - x;
            double dy = m.mean(k, 1) - y;
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                at = new double[] {m.mean(k, 0), m.mean(k, 1)};
            }
        }
        return at;
    }

    /** n points of N(0, std²·I), row-major [n, 2]. */
    static float[] gaussian2d(int n, double std, long seed) {
        return Density1D.normal(0, std).sample(2 * n, seed);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
