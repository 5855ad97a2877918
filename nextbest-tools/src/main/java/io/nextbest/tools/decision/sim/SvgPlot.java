package io.nextbest.tools.decision.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line chart as a self-contained SVG document: title, axes with ticks and labels, legend. */
public final class SvgPlot {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 560;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 78;
  private static final int BOTTOM = 70;

  /**
   * One line.
   *
   * @param name legend text
   * @param values y at the end of each day (x = day + 1; the line starts at (0, 0))
   * @param color stroke colour
   * @param dashed drawn dashed
   */
  public record Series(String name, double[] values, String color, boolean dashed) {}

  private SvgPlot() {}

  /**
   * The chart.
   *
   * @param markerDay x of a dashed vertical marker, or a negative number for none
   * @param markerLabel its label
   */
  public static String render(
      String title,
      String subtitle,
      String xLabel,
      String yLabel,
      List<Series> series,
      int markerDay,
      String markerLabel) {
    int days = series.stream().mapToInt(s -> s.values().length).max().orElse(1);
    double lo = 0;
    double hi = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1;
    }
    double step = niceStep((hi - lo) / 6);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    Axis x = new Axis(0, Math.max(days, 1), LEFT, WIDTH - RIGHT);
    Axis y = new Axis(lo, hi, HEIGHT - BOTTOM, TOP);

    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    b.append(f("<title>%s</title>\n", escape(title)));
    b.append(
        f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
    b.append(
        f(
            "<text x=\"%d\" y=\"30\" font-size=\"20\" font-weight=\"bold\">%s</text>\n",
            LEFT, escape(title)));
    b.append(
        f(
            "<text x=\"%d\" y=\"52\" font-size=\"13\" fill=\"#555\">%s</text>\n",
            LEFT, escape(subtitle)));

    // grid and y ticks
    b.append("<g font-size=\"12\" fill=\"#333\">\n");
    long ticks = Math.round((hi - lo) / step);
    for (long i = 0; i <= ticks; i++) {
      double v = lo + i * step;
      double py = y.at(v);
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
              LEFT, py, WIDTH - RIGHT, py, Math.abs(v) < step / 1e6 ? "#888" : "#e5e5e5"));
      b.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
              LEFT - 8, py + 4, tick(v, step)));
    }
    // x ticks
    int xStep = (int) Math.max(1, niceStep(days / 10.0));
    for (int d = 0; d <= days; d += xStep) {
      double px = x.at(d);
      b.append(
          f(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
              px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5));
      b.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
              px, HEIGHT - BOTTOM + 20, d));
    }
    b.append("</g>\n");
    // axes
    b.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
            LEFT, TOP, LEFT, HEIGHT - BOTTOM));
    b.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
            LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    b.append(
        f(
            "<text x=\"%.1f\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%s</text>\n",
            (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 22, escape(xLabel)));
    b.append(
        f(
            "<text x=\"22\" y=\"%.1f\" font-size=\"14\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 22 %.1f)\">%s</text>\n",
            (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, escape(yLabel)));
    if (markerDay >= 0 && markerDay <= days) {
      double px = x.at(markerDay);
      b.append(
          f(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\""
                  + " stroke-dasharray=\"4 4\"/>\n",
              px, TOP, px, HEIGHT - BOTTOM));
      // above the x axis, clear of the legend in the top left corner
      b.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#666\">%s</text>\n",
              px + 4, HEIGHT - BOTTOM - 8, escape(markerLabel)));
    }
    // lines
    for (Series s : series) {
      List<String> points = new ArrayList<>();
      points.add(f("%.1f,%.1f", x.at(0), y.at(0)));
      for (int d = 0; d < s.values().length; d++) {
        points.add(f("%.1f,%.1f", x.at(d + 1), y.at(s.values()[d])));
      }
      b.append(
          f(
              "<polyline data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s"
                  + " points=\"%s\"/>\n",
              escape(s.name()),
              s.color(),
              s.dashed() ? " stroke-dasharray=\"8 5\"" : "",
              String.join(" ", points)));
    }
    // legend, top left inside the plot
    int lx = LEFT + 14;
    int ly = TOP + 26;
    int rowHeight = 20;
    b.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"330\" height=\"%d\" fill=\"white\""
                + " fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n",
            lx - 8, ly - 16, series.size() * rowHeight + 10));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int yy = ly + i * rowHeight;
      double last = s.values().length == 0 ? 0 : s.values()[s.values().length - 1];
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>\n",
              lx,
              yy - 4,
              lx + 28,
              yy - 4,
              s.color(),
              s.dashed() ? " stroke-dasharray=\"8 5\"" : ""));
      b.append(
          f(
              "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s (%s)</text>\n",
              lx + 36, yy, escape(s.name()), String.format(Locale.ROOT, "%+.2f", last)));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** Maps a data range onto a pixel range. */
  private record Axis(double lo, double hi, double from, double to) {
    double at(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String tick(double v, double step) {
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) + 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0 : v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
