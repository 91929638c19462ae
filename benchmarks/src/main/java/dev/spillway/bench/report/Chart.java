package dev.spillway.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small PNG chart drawn with Java2D, with no library: either grouped bars (one group per category, one bar per
 * series) or line series over a numeric x axis (e.g. seconds). Optional log-scale y axis and horizontal marks
 * (goals, thresholds). Runs headless.
 *
 * <pre>
 * Chart.bars("Latency by row", "ms", List.of("a", "b")).logY()
 *      .series("p50", 12, 8).series("p99", 400, 60).writePng(Path.of("latency.png"));
 * Chart.lines("Queue delay", "s", "ms").series("a", xs, ys).mark("high mark", 100).writePng(...);
 * </pre>
 *
 * Values that are NaN, or not above zero on a log axis, are left out (no bar, a gap in a line).
 */
public final class Chart {
    /** Bars over categories, or lines over x. */
    public enum Kind { BARS, LINES }

    private record Series(String name, double[] xs, double[] ys) {
    }

    private record Mark(String label, double y) {
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private final Kind kind;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private boolean logY;
    private int width = 1000;
    private int height = 560;

    private Chart(Kind kind, String title, String xLabel, String yLabel, List<String> categories) {
        this.kind = kind;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = List.copyOf(categories);
    }

    /** Grouped bars: one group per category, in order; each {@link #series(String, double...)} adds a bar per group. */
    public static Chart bars(String title, String yLabel, List<String> categories) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category");
        }
        return new Chart(Kind.BARS, title, "", yLabel, categories);
    }

    /** Line series over a numeric x axis; add them with {@link #series(String, double[], double[])}. */
    public static Chart lines(String title, String xLabel, String yLabel) {
        return new Chart(Kind.LINES, title, xLabel, yLabel, List.of());
    }

    /** A bar series: one value per category. */
    public Chart series(String name, double... values) {
        if (kind != Kind.BARS) {
            throw new IllegalStateException("a line chart's series need x values: series(name, xs, ys)");
        }
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("series " + name + " has " + values.length + " values for "
                    + categories.size() + " categories");
        }
        series.add(new Series(name, null, values.clone()));
        return this;
    }

    /** A line series: points (xs[i], ys[i]). */
    public Chart series(String name, double[] xs, double[] ys) {
        if (kind != Kind.LINES) {
            throw new IllegalStateException("a bar chart's series have one value per category: series(name, values)");
        }
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("series " + name + ": " + xs.length + " x values, " + ys.length + " y");
        }
        series.add(new Series(name, xs.clone(), ys.clone()));
        return this;
    }

    /** A dashed horizontal line at {@code y}, labelled. */
    public Chart mark(String label, double y) {
        marks.add(new Mark(label, y));
        return this;
    }

    /** Logarithmic y axis (decades); only values above zero are drawn. */
    public Chart logY() {
        this.logY = true;
        return this;
    }

    public Chart size(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("size " + width + "x" + height + ": at least 200x150");
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** Writes the chart as a PNG, creating the parent directory. */
    public void writePng(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    /** Draws the chart. */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(base.deriveFont(Font.BOLD, 15f));
        g.setColor(Color.BLACK);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (width - tm.stringWidth(title)) / 2, 24);
        g.setFont(base);
        FontMetrics fm = g.getFontMetrics();

        int left = 70;
        int right = width - 20;
        int top = 60;
        int bottom = height - (kind == Kind.BARS ? 70 : 55);
        double[] range = yRange();
        double lo = range[0];
        double hi = range[1];

        // Legend, one line above the plot.
        int lx = left;
        for (int i = 0; i < series.size(); i++) {
            g.setColor(color(i));
            g.fillRect(lx, 38, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).name(), lx + 16, 49);
            lx += 16 + fm.stringWidth(series.get(i).name()) + 18;
        }

        // Y grid and ticks.
        g.setColor(Color.DARK_GRAY);
        for (double t : yTicks(lo, hi)) {
            int y = yPix(t, lo, hi, top, bottom);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String s = tick(t);
            g.drawString(s, left - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        Graphics2D rot = (Graphics2D) g.create();
        rot.rotate(-Math.PI / 2);
        String yl = yLabel + (logY ? " (log scale)" : "");
        rot.drawString(yl, -(top + bottom + fm.stringWidth(yl)) / 2, 16);
        rot.dispose();

        if (kind == Kind.BARS) {
            drawBars(g, fm, lo, hi, left, right, top, bottom);
        } else {
            drawLines(g, fm, lo, hi, left, right, top, bottom);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);

        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        for (Mark m : marks) {
            if (!drawable(m.y())) {
                continue;
            }
            int y = yPix(m.y(), lo, hi, top, bottom);
            g.setColor(new Color(0x444444));
            g.draw(new Line2D.Double(left, y, right, y));
            g.drawString(m.label(), right - fm.stringWidth(m.label()) - 4, y - 4);
        }
    }

    private void drawBars(Graphics2D g, FontMetrics fm, double lo, double hi, int left, int right, int top,
            int bottom) {
        int n = categories.size();
        double groupW = (right - left) / (double) n;
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < n; c++) {
            double gx = left + c * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).ys()[c];
                if (!drawable(v)) {
                    continue;
                }
                int y = yPix(Math.min(v, hi), lo, hi, top, bottom);
                g.setColor(color(s));
                g.fill(new Rectangle2D.Double(gx + s * barW, y, barW - 2, bottom - y));
                if (barW >= fm.stringWidth("0000")) {
                    g.setColor(Color.BLACK);
                    String label = tick(v);
                    g.drawString(label, (float) (gx + s * barW + (barW - 2 - fm.stringWidth(label)) / 2), y - 3);
                }
            }
            g.setColor(Color.BLACK);
            String label = categories.get(c);
            List<String> parts = wrap(label, fm, (int) groupW - 6);
            for (int i = 0; i < parts.size() && i < 3; i++) {
                g.drawString(parts.get(i), (float) (left + c * groupW + (groupW - fm.stringWidth(parts.get(i))) / 2),
                        bottom + 16 + i * 15);
            }
        }
    }

    private void drawLines(Graphics2D g, FontMetrics fm, double lo, double hi, int left, int right, int top,
            int bottom) {
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double x : s.xs()) {
                if (!Double.isNaN(x)) {
                    xmin = Math.min(xmin, x);
                    xmax = Math.max(xmax, x);
                }
            }
        }
        if (xmin > xmax) {
            xmin = 0;
            xmax = 1;
        } else if (xmin == xmax) {
            xmax = xmin + 1;
        }
        for (double t : linearTicks(xmin, xmax)) {
            int x = (int) Math.round(left + (t - xmin) / (xmax - xmin) * (right - left));
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            String s = tick(t);
            g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 16);
        }
        g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, bottom + 36);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(color(i));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int k = 0; k < s.xs().length; k++) {
                double x = s.xs()[k];
                double y = s.ys()[k];
                if (Double.isNaN(x) || !drawable(y)) {
                    pen = false;
                    continue;
                }
                double px = left + (x - xmin) / (xmax - xmin) * (right - left);
                double py = yPix(Math.max(lo, Math.min(hi, y)), lo, hi, top, bottom);
                if (pen) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    pen = true;
                }
            }
            g.draw(path);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private boolean drawable(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && (!logY || v > 0);
    }

    /** [low, high] of the y axis: from zero (linear) or the decade below the smallest value (log). */
    double[] yRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.ys()) {
                if (drawable(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (Mark m : marks) {
            if (drawable(m.y())) {
                min = Math.min(min, m.y());
                max = Math.max(max, m.y());
            }
        }
        if (logY) {
            if (min > max) {
                return new double[] {1, 10};
            }
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max * 1.15)));
            return new double[] {lo, Math.max(hi, lo * 10)};
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        double lo = Math.min(0, min);
        double hi = max <= lo ? lo + 1 : max * 1.1;
        return new double[] {lo, niceCeil(hi)};
    }

    private int yPix(double v, double lo, double hi, int top, int bottom) {
        double f = logY ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return (int) Math.round(bottom - f * (bottom - top));
    }

    private List<Double> yTicks(double lo, double hi) {
        if (!logY) {
            return linearTicks(lo, hi);
        }
        List<Double> t = new ArrayList<>();
        for (double d = lo; d <= hi * 1.0001; d *= 10) {
            t.add(d);
            if (hi / lo <= 1000) {
                for (double m : new double[] {2, 5}) {
                    if (d * m < hi) {
                        t.add(d * m);
                    }
                }
            }
        }
        return t;
    }

    private static List<Double> linearTicks(double lo, double hi) {
        double step = niceStep((hi - lo) / 6);
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return t;
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static double niceCeil(double v) {
        double step = niceStep(v / 6);
        return Math.ceil(v / step) * step;
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10 || a == 0 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.2g", v)).stripTrailingZeros().toPlainString();
    }

    private static List<String> wrap(String text, FontMetrics fm, int maxWidth) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(next) > maxWidth && line.length() > 0) {
                out.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }

    private static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }
}
