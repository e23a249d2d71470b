package dev.livecounter.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A scenario's plot, a 1000 x 600 PNG drawn by JFreeChart (headless): lines (e.g. a latency CDF, a value over time)
 * or bars, with a title, axis labels, a legend and optional dashed reference lines (a goal, a limit).
 */
final class Chart {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)
    };
    private static final Color GRID = new Color(0xe6e6e6);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final XYSeriesCollection lines = new XYSeriesCollection();
    private final DefaultCategoryDataset bars = new DefaultCategoryDataset();
    private final List<ValueMarker> verticals = new ArrayList<>();
    private final List<ValueMarker> horizontals = new ArrayList<>();
    private Double yMax;

    Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    Chart line(String name, double[] xs, double[] ys) {
        XYSeries series = new XYSeries(name, false, true);
        for (int i = 0; i < xs.length; i++) {
            series.add(xs[i], ys[i]);
        }
        lines.addSeries(series);
        return this;
    }

    /** A cumulative distribution of {@code values} (any unit) as percentile over value. */
    Chart cdf(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] ys = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ys[i] = 100.0 * (i + 1) / sorted.length;
        }
        return line(name + " (n=" + sorted.length + ")", sorted, ys);
    }

    /**
     * A bar of {@code series} (one colour, named in the legend) above {@code category}; the series' bars of one
     * category stand side by side.
     */
    Chart bar(String series, String category, double value) {
        bars.addValue(value, series, category);
        return this;
    }

    Chart verticalLine(double x, String label) {
        verticals.add(marker(x, label, RectangleAnchor.TOP_LEFT, TextAnchor.TOP_RIGHT)); // left of the line
        return this;
    }

    Chart horizontalLine(double y, String label) {
        horizontals.add(marker(y, label, RectangleAnchor.TOP_LEFT, TextAnchor.BOTTOM_LEFT));
        return this;
    }

    Chart yMax(double max) {
        this.yMax = max;
        return this;
    }

    void write(Path file) {
        JFreeChart chart = bars.getRowCount() == 0 ? lineChart() : barChart();
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        try {
            Files.createDirectories(file.getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 600);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JFreeChart lineChart() {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, lines, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < lines.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2.2f));
            renderer.setSeriesShapesVisible(i, lines.getItemCount(i) == 1); // a lone sample shows as a dot
        }
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
        verticals.forEach(plot::addDomainMarker);
        horizontals.forEach(plot::addRangeMarker);
        fit(plot.getDomainAxis(), verticals, null);
        fit(plot.getRangeAxis(), horizontals, yMax);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        return chart;
    }

    private JFreeChart barChart() {
        JFreeChart chart = ChartFactory.createBarChart(title, xLabel, yLabel, bars, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        // a category with one series' bar (a highlighted one among others) gets the whole slot, not a side-by-side half
        BarRenderer renderer = oneBarPerCategory() ? new StackedBarRenderer() : new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < bars.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                return Report.fmt(dataset.getValue(row, column).doubleValue());
            }
        });
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        plot.setRenderer(renderer);
        plot.getDomainAxis().setMaximumCategoryLabelLines(3);
        plot.getRangeAxis().setUpperMargin(0.1); // room for the values above the bars
        horizontals.forEach(plot::addRangeMarker);
        fit(plot.getRangeAxis(), horizontals, yMax);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        return chart;
    }

    private boolean oneBarPerCategory() {
        for (int c = 0; c < bars.getColumnCount(); c++) {
            int inCategory = 0;
            for (int r = 0; r < bars.getRowCount(); r++) {
                inCategory += bars.getValue(r, c) == null ? 0 : 1;
            }
            if (inCategory > 1) {
                return false;
            }
        }
        return true;
    }

    /** Up to {@code max} when given, else the data's range stretched to show every reference line. */
    private static void fit(ValueAxis axis, List<ValueMarker> references, Double max) {
        double upper = max != null ? max
                : references.stream().mapToDouble(m -> m.getValue() * 1.05).reduce(axis.getUpperBound(), Math::max);
        axis.setRange(axis.getLowerBound(), upper);
    }

    private static ValueMarker marker(double at, String label, RectangleAnchor anchor, TextAnchor text) {
        ValueMarker marker = new ValueMarker(at, Color.DARK_GRAY, DASHED);
        marker.setLabel(label);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        marker.setLabelAnchor(anchor);
        marker.setLabelTextAnchor(text);
        return marker;
    }
}
