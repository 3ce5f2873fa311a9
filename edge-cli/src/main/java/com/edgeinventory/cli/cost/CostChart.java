package com.edgeinventory.cli.cost;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * The chart of {@code docs/cost.md}: monthly dollars against purchases per second per edge region, serverless and
 * always-on, the break-even rate marked. Drawn once onto a {@link Canvas}, which writes SVG (by hand) or PNG (Java2D,
 * headless; the JDK's own, so no charting library in the CLI for one chart).
 */
public final class CostChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final String GRID = "#dddddd";
    private static final String SERVERLESS = "#1f77b4";
    private static final String ALWAYS_ON = "#d62728";
    private static final String MARK = "#555555";

    /** The image formats the chart is written in, by the file name's extension. */
    public enum Format {
        SVG, PNG;

        /** The format a file name asks for; empty for any other extension. */
        public static java.util.Optional<Format> of(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            return lower.endsWith(".svg") ? java.util.Optional.of(SVG)
                    : lower.endsWith(".png") ? java.util.Optional.of(PNG) : java.util.Optional.empty();
        }
    }

    private CostChart() {
    }

    public static byte[] render(CostModel.Report report, Format format) {
        return switch (format) {
            case SVG -> svg(report).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case PNG -> png(report);
        };
    }

    public static String svg(CostModel.Report report) {
        SvgCanvas canvas = new SvgCanvas();
        draw(report, canvas);
        return canvas.finish();
    }

    public static byte[] png(CostModel.Report report) {
        PngCanvas canvas = new PngCanvas();
        draw(report, canvas);
        return canvas.finish();
    }

    private static void draw(CostModel.Report report, Canvas c) {
        double be = report.breakEvenPurchasesPerSecond();
        double maxX = niceCeiling(Math.max(be > 0 ? 2 * be : 0, Math.max(1, 2 * report.rates().purchasesPerSecond())));
        double maxY = niceCeiling(Math.max(report.serverlessAt(maxX), report.alwaysOnAt(maxX)));
        c.text(LEFT, 22, String.format(Locale.ROOT, "Monthly cost, %d edge region(s) + central, %.0f uploads/day per "
                + "region", report.rates().edgeRegions(), report.rates().uploadsPerDay()), Anchor.START, 15, "#000000");
        for (int i = 0; i <= 5; i++) {
            double y = maxY * i / 5;
            double x = maxX * i / 5;
            c.line(px(0, maxX), py(y, maxY), px(maxX, maxX), py(y, maxY), GRID, 1, false);
            c.text(LEFT - 6, py(y, maxY) + 4, String.format(Locale.ROOT, "$%,.0f", y), Anchor.END, 12, "#000000");
            c.text(px(x, maxX), HEIGHT - BOTTOM + 18, trim(x), Anchor.MIDDLE, 12, "#000000");
        }
        c.text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18, "purchases per second per edge region", Anchor.MIDDLE, 12,
                "#000000");
        series(c, report::serverlessAt, maxX, maxY, SERVERLESS, "serverless (measured)", 0);
        series(c, report::alwaysOnAt, maxX, maxY, ALWAYS_ON,
                "always-on (2 × m7g.large + ALB + Multi-AZ RDS per region)", 1);
        if (be > 0 && be <= maxX) {
            double y = report.serverlessAt(be);
            c.line(px(be, maxX), py(0, maxY), px(be, maxX), py(y, maxY), MARK, 1, true);
            c.dot(px(be, maxX), py(y, maxY), 4, MARK);
            c.text(px(be, maxX) + 6, py(y, maxY) - 8, String.format(Locale.ROOT, "break-even %s/s, $%,.0f/month",
                    trim(be), y), Anchor.START, 12, "#000000");
        }
    }

    private static void series(Canvas c, DoubleUnaryOperator cost, double maxX, double maxY, String colour,
                               String label, int row) {
        double[] xs = new double[51];
        double[] ys = new double[51];
        for (int i = 0; i <= 50; i++) {
            double x = maxX * i / 50;
            xs[i] = px(x, maxX);
            ys[i] = py(cost.applyAsDouble(x), maxY);
        }
        c.polyline(xs, ys, colour);
        c.box(LEFT + 10, TOP + 8 + row * 16, 14, 3, colour);
        c.text(LEFT + 30, TOP + 12 + row * 16, label, Anchor.START, 12, "#000000");
    }

    private static double px(double x, double maxX) {
        return LEFT + (WIDTH - LEFT - RIGHT) * x / maxX;
    }

    private static double py(double y, double maxY) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * Math.min(y, maxY) / maxY;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String trim(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private enum Anchor { START, MIDDLE, END }

    /** What the chart draws with; one implementation per output format. */
    private interface Canvas {
        void line(double x1, double y1, double x2, double y2, String colour, int width, boolean dashed);

        void polyline(double[] xs, double[] ys, String colour);

        void box(double x, double y, double w, double h, String colour);

        void dot(double cx, double cy, double r, String colour);

        void text(double x, double y, String text, Anchor anchor, int size, String colour);
    }

    private static final class SvgCanvas implements Canvas {
        private final StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" "
                        + "fill=\"white\"/>%n", WIDTH, HEIGHT, WIDTH, HEIGHT));

        @Override
        public void line(double x1, double y1, double x2, double y2, String colour, int width, boolean dashed) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"%s\"%s/>%n", x1, y1, x2, y2, colour, dashed ? " stroke-dasharray=\"4 3\"" : ""));
        }

        @Override
        public void polyline(double[] xs, double[] ys, String colour) {
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"", colour));
            for (int i = 0; i < xs.length; i++) {
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
            }
            svg.append("\"/>\n");
        }

        @Override
        public void box(double x, double y, double w, double h, String colour) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
                    + "fill=\"%s\"/>%n", x, y, w, h, colour));
        }

        @Override
        public void dot(double cx, double cy, double r, String colour) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\" fill=\"%s\"/>%n",
                    cx, cy, r, colour));
        }

        @Override
        public void text(double x, double y, String text, Anchor anchor, int size, String colour) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s%s>%s</text>%n", x, y,
                    anchor == Anchor.START ? "" : " text-anchor=\"" + anchor.name().toLowerCase(Locale.ROOT) + "\"",
                    size == 12 ? "" : " font-size=\"" + size + "\"", escape(text)));
        }

        String finish() {
            return svg.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }

    /** Java2D in headless mode: needs no display, only the fonts fontconfig finds (any sans-serif). */
    private static final class PngCanvas implements Canvas {
        private final BufferedImage image;
        private final Graphics2D g;

        PngCanvas() {
            System.setProperty("java.awt.headless", "true");
            image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, String colour, int width, boolean dashed) {
            g.setColor(Color.decode(colour));
            g.setStroke(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {4, 3}, 0) : new BasicStroke(width));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        public void polyline(double[] xs, double[] ys, String colour) {
            Path2D.Double path = new Path2D.Double();
            path.moveTo(xs[0], ys[0]);
            for (int i = 1; i < xs.length; i++) {
                path.lineTo(xs[i], ys[i]);
            }
            g.setColor(Color.decode(colour));
            g.setStroke(new BasicStroke(2));
            g.draw(path);
        }

        @Override
        public void box(double x, double y, double w, double h, String colour) {
            g.setColor(Color.decode(colour));
            g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
        }

        @Override
        public void dot(double cx, double cy, double r, String colour) {
            g.setColor(Color.decode(colour));
            g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        }

        @Override
        public void text(double x, double y, String text, Anchor anchor, int size, String colour) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            g.setColor(Color.decode(colour));
            int width = g.getFontMetrics().stringWidth(text);
            double left = switch (anchor) {
                case START -> x;
                case MIDDLE -> x - width / 2.0;
                case END -> x - width;
            };
            g.drawString(text, (float) left, (float) y);
        }

        byte[] finish() {
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "png", out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
