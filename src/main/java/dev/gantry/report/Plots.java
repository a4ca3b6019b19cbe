package dev.gantry.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts written as PNG files with XChart, for training curves and metric histories.
 *
 * <p>Training logs contain NaN and infinite values when a run diverges; such points are dropped
 * (and, on a log axis, non-positive ones too) instead of failing the plot, so the healthy part of
 * the curve is still shown. Every file is written atomically.
 */
public final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Above this many points a series is drawn without markers, which would hide the line. */
    static final int MARKER_LIMIT = 40;

    // Dark and wider than XChart's default dash so a reference line stays visible next to the
    // palette's light colors.
    private static final BasicStroke REF_STROKE = new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
    private static final Color REF_COLOR = new Color(0x40, 0x40, 0x40);

    private Plots() {}

    /**
     * One named curve; {@code yErr}, when not null, is drawn as symmetric error bars
     * ({@code y ± yErr}, non-finite entries as none).
     */
    public record Series(String name, double[] x, double[] y, double[] yErr) {

        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": x has " + x.length
                        + " values, y has " + y.length);
            }
            if (yErr != null && yErr.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": yErr has " + yErr.length
                        + " values, y has " + y.length);
            }
        }

        /** A curve without error bars. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null);
        }
    }

    /** A dashed horizontal reference line across the plotted x range, e.g. a published result. */
    public record RefLine(String name, double y) {
        public RefLine {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Size and y axis of a chart; {@code NaN} bounds mean "fit the data".
     */
    public record Options(int width, int height, boolean logY, double yMin, double yMax) {

        /** 800 x 500, linear y, automatic range. */
        public static final Options DEFAULT = new Options(800, 500, false, Double.NaN, Double.NaN);

        public Options {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("chart size must be positive, got "
                        + width + "x" + height);
            }
        }

        public Options withSize(int width, int height) {
            return new Options(width, height, logY, yMin, yMax);
        }

        public Options withLogY(boolean logY) {
            return new Options(width, height, logY, yMin, yMax);
        }

        public Options withYRange(double yMin, double yMax) {
            return new Options(width, height, logY, yMin, yMax);
        }
    }

    /** Writes an 800 x 500 line chart with a linear y axis. */
    public static void linePlot(Path out, String title, String xLabel, String yLabel,
            List<Series> series) {
        linePlot(out, title, xLabel, yLabel, series, List.of(), Options.DEFAULT);
    }

    /** Writes an 800 x 500 line chart, with a logarithmic y axis if {@code logY}. */
    public static void linePlot(Path out, String title, String xLabel, String yLabel,
            List<Series> series, boolean logY) {
        linePlot(out, title, xLabel, yLabel, series, List.of(), Options.DEFAULT.withLogY(logY));
    }

    /** Writes an 800 x 500 line chart with dashed horizontal reference lines. */
    public static void linePlot(Path out, String title, String xLabel, String yLabel,
            List<Series> series, List<RefLine> refs) {
        linePlot(out, title, xLabel, yLabel, series, refs, Options.DEFAULT);
    }

    /**
     * Writes a line chart as a PNG at {@code out}, creating parent directories.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void linePlot(Path out, String title, String xLabel, String yLabel,
            List<Series> series, List<RefLine> refs, Options options) {
        XYChart chart = new XYChartBuilder()
                .width(options.width())
                .height(options.height())
                .title(title)
                .xAxisTitle(xLabel)
                .yAxisTitle(yLabel)
                .build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);   // never over the newest points
        styler.setMarkerSize(5);
        styler.setYAxisLogarithmic(options.logY());
        styler.setErrorBarsColorSeriesColor(true);
        if (!Double.isNaN(options.yMin())) {
            styler.setYAxisMin(options.yMin());
        }
        if (!Double.isNaN(options.yMax())) {
            styler.setYAxisMax(options.yMax());
        }

        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            Series kept = plottable(s, options.logY());
            if (kept.x().length == 0) {
                continue; // XChart rejects empty series; a never-logged field just has no curve
            }
            XYSeries xy = kept.yErr() == null
                    ? chart.addSeries(kept.name(), kept.x(), kept.y())
                    : chart.addSeries(kept.name(), kept.x(), kept.y(), kept.yErr());
            xy.setMarker(kept.x().length > MARKER_LIMIT ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            for (double v : kept.x()) {
                xLo = Math.min(xLo, v);
                xHi = Math.max(xHi, v);
            }
        }
        if (xLo > xHi) {
            xLo = 0;
            xHi = 1;
        } else if (xLo == xHi) {
            // A reference line needs two distinct ends to be drawn at all.
            xLo -= 0.5;
            xHi += 0.5;
        }
        for (RefLine ref : refs) {
            if (!Double.isFinite(ref.y()) || (options.logY() && ref.y() <= 0)) {
                continue;
            }
            XYSeries xy = chart.addSeries(ref.name(), new double[] {xLo, xHi},
                    new double[] {ref.y(), ref.y()});
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineStyle(REF_STROKE);
            xy.setLineColor(REF_COLOR);
        }
        AtomicFiles.writePng(out, BitmapEncoder.getBufferedImage(chart));
    }

    /** The points of {@code s} that can be drawn: finite, and positive on a log axis. */
    static Series plottable(Series s, boolean logY) {
        int n = s.x().length;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] err = s.yErr() == null ? null : new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double xi = s.x()[i];
            double yi = s.y()[i];
            if (!Double.isFinite(xi) || !Double.isFinite(yi) || (logY && yi <= 0)) {
                continue;
            }
            x[k] = xi;
            y[k] = yi;
            if (err != null) {
                double e = s.yErr()[i];
                err[k] = Double.isFinite(e) ? Math.abs(e) : 0;
            }
            k++;
        }
        return new Series(s.name(), Arrays.copyOf(x, k), Arrays.copyOf(y, k),
                err == null ? null : Arrays.copyOf(err, k));
    }
}
