package dev.spillway.bench.reaction;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The reaction timeline as a PNG, drawn with Java2D (no chart library): three panels over the same time axis —
 * the hot server's request rate (offered, served locally, moved), its queue delay, and the directive's fraction
 * beside the share of requests actually moved — with the step up and the drop marked. Headless.
 */
final class TimelinePlot {
    private static final int W = 1200;
    private static final int PANEL_H = 220;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int GAP = 40;
    private static final Color OFFERED = new Color(0x55, 0x55, 0x55);
    private static final Color LOCAL = new Color(0x1f, 0x77, 0xb4);
    private static final Color MOVED = new Color(0xd6, 0x27, 0x28);
    private static final Color DELAY = new Color(0x9a, 0x4d, 0x00);
    private static final Color FRACTION = new Color(0x2c, 0xa0, 0x2c);

    /** One second of the timeline. Rates in requests per second, delay in ms, fraction and share 0..1. */
    record Bin(double tSeconds, double offered, double local, double moved, double queueDelayMillis, double fraction,
            double movedShare) {
    }

    private TimelinePlot() {
    }

    static void write(Path file, String title, List<Bin> bins, double stepS, double dropS) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int h = TOP + 3 * PANEL_H + 2 * GAP + 50;
        BufferedImage img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 28);
            double tMax = bins.isEmpty() ? 1 : Math.max(1, bins.get(bins.size() - 1).tSeconds() + 1);
            double rateMax = niceCeil(bins.stream().mapToDouble(b -> Math.max(b.offered(), b.local() + b.moved()))
                    .max().orElse(1));
            double delayMax = niceCeil(bins.stream().mapToDouble(Bin::queueDelayMillis).filter(d -> !Double.isNaN(d))
                    .max().orElse(1));
            int y0 = TOP;
            Panel rates = new Panel(g, y0, tMax, rateMax, "requests/s to a");
            rates.frame(stepS, dropS);
            rates.line(bins, Bin::offered, OFFERED, "offered");
            rates.line(bins, Bin::local, LOCAL, "served by a");
            rates.line(bins, Bin::moved, MOVED, "moved to b/c");
            Panel delay = new Panel(g, y0 + PANEL_H + GAP, tMax, delayMax, "a's queue delay (ms)");
            delay.frame(stepS, dropS);
            delay.line(bins, Bin::queueDelayMillis, DELAY, "queue delay (filter)");
            Panel frac = new Panel(g, y0 + 2 * (PANEL_H + GAP), tMax, 1.0, "fraction");
            frac.frame(stepS, dropS);
            frac.line(bins, Bin::fraction, FRACTION, "directive fraction");
            frac.line(bins, Bin::movedShare, MOVED, "moved share");
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("seconds since the baseline started (dashed: load stepped up, load dropped)", LEFT,
                    h - 15);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static double niceCeil(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static final class Panel {
        private final Graphics2D g;
        private final int top;
        private final double tMax;
        private final double yMax;
        private final String label;
        private int legends;

        Panel(Graphics2D g, int top, double tMax, double yMax, String label) {
            this.g = g;
            this.top = top;
            this.tMax = tMax;
            this.yMax = yMax;
            this.label = label;
        }

        double x(double t) {
            return LEFT + (W - LEFT - RIGHT) * t / tMax;
        }

        double y(double v) {
            double c = Math.max(0, Math.min(yMax, v));
            return top + PANEL_H - PANEL_H * c / yMax;
        }

        void frame(double stepS, double dropS) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i <= 4; i++) {
                double v = yMax * i / 4;
                int yy = (int) y(v);
                g.setColor(new Color(0xe6, 0xe6, 0xe6));
                g.drawLine(LEFT, yy, W - RIGHT, yy);
                g.setColor(Color.DARK_GRAY);
                String s = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
                g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), yy + 4);
            }
            double tick = tMax > 600 ? 60 : tMax > 120 ? 30 : tMax > 30 ? 10 : tMax > 10 ? 2 : 1;
            for (double t = 0; t <= tMax; t += tick) {
                int xx = (int) x(t);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(xx, top + PANEL_H, xx, top + PANEL_H + 4);
                String s = String.valueOf((long) t);
                g.drawString(s, xx - g.getFontMetrics().stringWidth(s) / 2, top + PANEL_H + 16);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, top, W - LEFT - RIGHT, PANEL_H);
            g.drawString(label, LEFT, top - 6);
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6, 4},
                    0));
            g.setColor(Color.GRAY);
            for (double t : new double[] {stepS, dropS}) {
                g.drawLine((int) x(t), top, (int) x(t), top + PANEL_H);
            }
        }

        void line(List<Bin> bins, ToDoubleFunction<Bin> f, Color c, String name) {
            Path2D path = new Path2D.Double();
            boolean pen = false;
            for (Bin b : bins) {
                double v = f.applyAsDouble(b);
                if (Double.isNaN(v)) {
                    pen = false;
                    continue;
                }
                double xx = x(b.tSeconds() + 0.5);
                if (pen) {
                    path.lineTo(xx, y(v));
                } else {
                    path.moveTo(xx, y(v));
                    pen = true;
                }
            }
            g.setColor(c);
            g.setStroke(new BasicStroke(1.6f));
            g.draw(path);
            int lx = W - RIGHT - 170;
            int ly = top + 16 + 15 * legends++;
            g.drawLine(lx, ly - 4, lx + 20, ly - 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(name, lx + 26, ly);
        }
    }
}
