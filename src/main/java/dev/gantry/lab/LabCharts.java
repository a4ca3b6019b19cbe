package dev.gantry.lab;

import dev.gantry.report.ImageGrid;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts with chosen colours and dash patterns, as images that can be tiled into one figure; for
 * plain curves the lab uses {@link dev.gantry.report.Plots}.
 */
final class LabCharts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final BasicStroke SOLID = new BasicStroke(2f);
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 5f}, 0f);
    static final BasicStroke DOTTED = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[] {1f, 5f}, 0f);

    private LabCharts() {}

    /** One curve: its name, points, colour and stroke. */
    record Curve(String name, double[] x, double[] y, Color color, BasicStroke stroke) {}

    /** A line chart of {@code curves} as an image; {@code NaN} bounds fit the data. */
    static BufferedImage chart(String title, String xLabel, String yLabel, List<Curve> curves, int width,
            int height, double yMin, double yMax) {
        return chart(title, xLabel, yLabel, curves, width, height, yMin, yMax, "0.0#");
    }

    /** As above, with the y axis's labels in {@link java.text.DecimalFormat} {@code yPattern}. */
    static BufferedImage chart(String title, String xLabel, String yLabel, List<Curve> curves, int width,
            int height, double yMin, double yMax, String yPattern) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setYAxisDecimalPattern(yPattern);
        if (!Double.isNaN(yMin)) {
            chart.getStyler().setYAxisMin(yMin);
        }
        if (!Double.isNaN(yMax)) {
            chart.getStyler().setYAxisMax(yMax);
        }
        for (Curve c : curves) {
            XYSeries s = chart.addSeries(c.name(), c.x(), c.y());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(c.color());
            s.setLineStyle(c.stroke());
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Lays {@code panels} (all the same size) out in rows of {@code cols}, on white. */
    static BufferedImage tile(List<BufferedImage> panels, int cols) {
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), (i % cols) * w, (i / cols) * h, null);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes a PNG atomically, creating parent directories. */
    static void write(Path out, BufferedImage img) {
        ImageGrid.writePng(out, img);
    }
}
