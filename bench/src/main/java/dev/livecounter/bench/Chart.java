package dev.livecounter.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A plain PNG chart drawn with java.awt (headless): lines (e.g. a latency CDF, a value over time) or bars, with
 * axes, ticks, axis labels, a title, a legend, and optional dashed reference lines (a goal).
 */
final class Chart {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)
    };
    private static final int W = 1000;
    private static final int H = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    private record Series(String name, double[] xs, double[] ys) {}

    private record Bar(String label, double value, int color) {}

    private record Reference(boolean vertical, double at, String label) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final List<String> legendForBars = new ArrayList<>();
    private Double xMax;
    private Double yMax;

    Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    Chart line(String name, double[] xs, double[] ys) {
        series.add(new Series(name, xs, ys));
        return this;
    }

    /** A cumulative distribution of {@code values} (any unit) as percentile over value. */
    Chart cdf(String name, double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double[] ys = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ys[i] = 100.0 * (i + 1) / sorted.length;
        }
        return line(name + " (n=" + sorted.length + ")", sorted, ys);
    }

    /** A bar; bars with the same {@code group} share a colour, named by {@link #barLegend}. */
    Chart bar(String label, double value, int group) {
        bars.add(new Bar(label, value, group));
        return this;
    }

    Chart barLegend(String... names) {
        legendForBars.addAll(List.of(names));
        return this;
    }

    Chart verticalLine(double x, String label) {
        references.add(new Reference(true, x, label));
        return this;
    }

    Chart horizontalLine(double y, String label) {
        references.add(new Reference(false, y, label));
        return this;
    }

    Chart xMax(double max) {
        this.xMax = max;
        return this;
    }

    Chart yMax(double max) {
        this.yMax = max;
        return this;
    }

    void write(Path file) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (W - tm.stringWidth(title)) / 2, 32);
        if (bars.isEmpty()) {
            drawLines(g);
        } else {
            drawBars(g);
        }
        g.dispose();
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drawLines(Graphics2D g) {
        double maxX = 0;
        double maxY = 0;
        double minX = Double.MAX_VALUE;
        for (Series s : series) {
            for (double x : s.xs) {
                maxX = Math.max(maxX, x);
                minX = Math.min(minX, x);
            }
            for (double y : s.ys) {
                maxY = Math.max(maxY, y);
            }
        }
        for (Reference r : references) {
            if (r.vertical) {
                maxX = Math.max(maxX, r.at * 1.05);
            } else {
                maxY = Math.max(maxY, r.at * 1.05);
            }
        }
        double x0 = Math.min(0, minX == Double.MAX_VALUE ? 0 : minX);
        double x1 = niceCeil(xMax != null ? xMax : Math.max(maxX, 1e-9));
        double y1 = niceCeil(yMax != null ? yMax : Math.max(maxY, 1e-9));
        axes(g, x0, x1, 0, y1, true);
        int i = 0;
        for (Series s : series) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            Path2D path = new Path2D.Double();
            for (int p = 0; p < s.xs.length; p++) {
                double px = px(s.xs[p], x0, x1);
                double py = py(s.ys[p], 0, y1);
                if (p == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            if (s.xs.length == 1) {
                g.fillOval((int) px(s.xs[0], x0, x1) - 3, (int) py(s.ys[0], 0, y1) - 3, 6, 6);
            }
            g.draw(path);
            i++;
        }
        references(g, x0, x1, 0, y1);
        List<String> names = series.stream().map(Series::name).toList();
        legend(g, names);
    }

    private void drawBars(Graphics2D g) {
        double maxY = 0;
        for (Bar b : bars) {
            maxY = Math.max(maxY, b.value);
        }
        double y1 = niceCeil(yMax != null ? yMax : Math.max(maxY * 1.1, 1e-9));
        axes(g, 0, 1, 0, y1, false);
        int plotW = W - LEFT - RIGHT;
        double slot = (double) plotW / bars.size();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int x = (int) (LEFT + i * slot + slot * 0.15);
            int w = (int) (slot * 0.7);
            int top = (int) py(b.value, 0, y1);
            g.setColor(PALETTE[b.color % PALETTE.length]);
            g.fillRect(x, top, w, H - BOTTOM - top);
            g.setColor(Color.BLACK);
            String v = Report.fmt(b.value);
            g.drawString(v, x + (w - fm.stringWidth(v)) / 2, top - 4);
            String label = b.label;
            g.drawString(label, x + (w - fm.stringWidth(label)) / 2, H - BOTTOM + 18);
        }
        references(g, 0, 1, 0, y1);
        legend(g, legendForBars);
    }

    private void references(Graphics2D g, double x0, double x1, double y0, double y1) {
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        for (Reference r : references) {
            if (r.vertical) {
                int x = (int) px(r.at, x0, x1);
                g.drawLine(x, TOP, x, H - BOTTOM);
                g.drawString(r.label, x + 4, TOP + 14);
            } else {
                int y = (int) py(r.at, y0, y1);
                g.drawLine(LEFT, y, W - RIGHT, y);
                g.drawString(r.label, LEFT + 6, y - 4);
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private void axes(Graphics2D g, double x0, double x1, double y0, double y1, boolean xTicks) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        double yStep = step(y1 - y0);
        for (double y = y0; y <= y1 + yStep / 1000; y += yStep) {
            int py = (int) py(y, y0, y1);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setColor(Color.BLACK);
            String label = tick(y, yStep);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 4);
        }
        if (xTicks) {
            double xStep = step(x1 - x0);
            for (double x = x0; x <= x1 + xStep / 1000; x += xStep) {
                int px = (int) px(x, x0, x1);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(px, TOP, px, H - BOTTOM);
                g.setColor(Color.BLACK);
                String label = tick(x, xStep);
                g.drawString(label, px - fm.stringWidth(label) / 2, H - BOTTOM + 18);
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        fm = g.getFontMetrics();
        g.drawString(xLabel, LEFT + (W - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, H - 22);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + (H - TOP - BOTTOM + fm.stringWidth(yLabel)) / 2), 22);
        rotated.dispose();
    }

    private void legend(Graphics2D g, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int width = names.stream().mapToInt(fm::stringWidth).max().orElse(0) + 40;
        int x = W - RIGHT - width - 10;
        int y = TOP + 10;
        // bottom-right for rising curves (CDFs), where they leave room
        if (bars.isEmpty() && !series.isEmpty() && isRising()) {
            y = H - BOTTOM - 20 * names.size() - 20;
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x - 6, y - 4, width, 20 * names.size() + 8);
        g.setColor(Color.GRAY);
        g.drawRect(x - 6, y - 4, width, 20 * names.size() + 8);
        for (int i = 0; i < names.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, y + 20 * i + 4, 20, 8);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), x + 26, y + 20 * i + 13);
        }
    }

    private boolean isRising() {
        Series s = series.get(0);
        return s.ys.length > 1 && s.ys[s.ys.length - 1] > s.ys[0];
    }

    private static double px(double x, double x0, double x1) {
        return LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    }

    private static double py(double y, double y0, double y1) {
        return H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);
    }

    private static double step(double range) {
        double raw = range / 8;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
    }

    private static double niceCeil(double max) {
        double s = step(max);
        return Math.ceil(max / s - 1e-9) * s;
    }

    private static String tick(double v, double step) {
        if (step >= 1 && Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (step >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        int decimals = (int) Math.ceil(-Math.log10(step));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
