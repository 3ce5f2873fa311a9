package com.edgeinventory.cli.cost;

import java.util.Locale;

/**
 * The chart of {@code docs/cost.md}: monthly dollars against purchases per second per edge region, serverless and
 * always-on, the break-even rate marked. SVG, written by hand (no charting library in the CLI for one chart).
 */
public final class CostChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private CostChart() {
    }

    public static String svg(CostModel.Report report) {
        double be = report.breakEvenPurchasesPerSecond();
        double maxX = niceCeiling(Math.max(be > 0 ? 2 * be : 0, Math.max(1, 2 * report.rates().purchasesPerSecond())));
        double maxY = niceCeiling(Math.max(report.serverlessAt(maxX), report.alwaysOnAt(maxX)));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">Monthly cost, %d edge "
                + "region(s) + central, %.0f uploads/day per region</text>%n", LEFT, report.rates().edgeRegions(),
                report.rates().uploadsPerDay()));
        for (int i = 0; i <= 5; i++) {
            double y = maxY * i / 5;
            double x = maxX * i / 5;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", px(0, maxX), py(y, maxY), px(maxX, maxX), py(y, maxY)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">$%,.0f</text>%n",
                    (double) LEFT - 6, py(y, maxY) + 4, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    px(x, maxX), (double) HEIGHT - BOTTOM + 18, trim(x)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">purchases per second"
                + " per edge region</text>%n", (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18));
        line(svg, report::serverlessAt, maxX, maxY, "#1f77b4", "serverless (measured)", 0);
        line(svg, report::alwaysOnAt, maxX, maxY, "#d62728", "always-on (2 × m7g.large + ALB + Multi-AZ RDS per region)", 1);
        if (be > 0 && be <= maxX) {
            double y = report.serverlessAt(be);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#555\" stroke-dasharray=\"4 3\"/>%n", px(be, maxX), py(0, maxY), px(be, maxX), py(y, maxY)));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#555\"/>%n",
                    px(be, maxX), py(y, maxY)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">break-even %s/s, $%,.0f/month</text>%n",
                    px(be, maxX) + 6, py(y, maxY) - 8, trim(be), y));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void line(StringBuilder svg, java.util.function.DoubleUnaryOperator cost, double maxX, double maxY,
                             String colour, String label, int row) {
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                colour));
        for (int i = 0; i <= 50; i++) {
            double x = maxX * i / 50;
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(x, maxX), py(cost.applyAsDouble(x), maxY)));
        }
        svg.append("\"/>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 10, TOP + 8 + row * 16, colour, LEFT + 30,
                TOP + 12 + row * 16, label));
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
}
