package io.nextbest.tools.profile;

import io.nextbest.models.segments.ClusterModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The segment profile table and its plot: per marketing segment, how many purchasers it holds and
 * the median of their recency, frequency, monetary value, order value, tenure, P(alive) and
 * 12-month CLV; the plot shows the spread (quartiles) of RFM and CLV by segment as an SVG.
 */
public final class SegmentProfiles {
  private SegmentProfiles() {}

  /** One purchaser as the segments see them (days, repeat purchase days, currency, P(alive)). */
  public record Member(
      String segment,
      double recencyDays,
      double frequency,
      double monetary,
      double averageOrderValue,
      double tenureDays,
      double probabilityAlive,
      double clv12m) {}

  /** A segment's line of the table: member count, share and medians. */
  public record Row(
      String segment,
      long members,
      double share,
      double recencyDays,
      double frequency,
      double monetary,
      double averageOrderValue,
      double tenureDays,
      double probabilityAlive,
      double clv12m) {}

  static final List<String> COLUMNS =
      List.of(
          "recencyDays",
          "frequency",
          "monetary",
          "averageOrderValue",
          "tenureDays",
          "probabilityAlive",
          "clv12m");

  private static final List<ToDoubleFunction<Member>> VALUES =
      List.of(
          Member::recencyDays,
          Member::frequency,
          Member::monetary,
          Member::averageOrderValue,
          Member::tenureDays,
          Member::probabilityAlive,
          Member::clv12m);

  /** The members by segment, in {@link ClusterModel#SEGMENTS} order (every segment present). */
  static Map<String, List<Member>> bySegment(List<Member> members) {
    Map<String, List<Member>> out = new LinkedHashMap<>();
    ClusterModel.SEGMENTS.forEach(s -> out.put(s, new ArrayList<>()));
    for (Member m : members) {
      out.computeIfAbsent(m.segment(), k -> new ArrayList<>()).add(m);
    }
    return out;
  }

  /** One row per segment, medians of its members (NaN for a segment without members). */
  public static List<Row> table(List<Member> members) {
    List<Row> rows = new ArrayList<>();
    bySegment(members)
        .forEach(
            (segment, list) -> {
              double[] med = new double[VALUES.size()];
              for (int i = 0; i < med.length; i++) {
                med[i] = quantile(values(list, VALUES.get(i)), 0.5);
              }
              rows.add(
                  new Row(
                      segment,
                      list.size(),
                      members.isEmpty() ? 0 : (double) list.size() / members.size(),
                      med[0],
                      med[1],
                      med[2],
                      med[3],
                      med[4],
                      med[5],
                      med[6]));
            });
    return rows;
  }

  /** The table as fixed-width text. */
  public static String text(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-14s %8s %6s %9s %9s %10s %9s %8s %8s %9s%n",
            "segment",
            "members",
            "share",
            "recency_d",
            "frequency",
            "monetary",
            "aov",
            "tenure_d",
            "p_alive",
            "clv12m"));
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %8d %5.1f%% %9.0f %9.1f %10.2f %9.2f %8.0f %8.3f %9.2f%n",
              r.segment(),
              r.members(),
              100 * r.share(),
              r.recencyDays(),
              r.frequency(),
              r.monetary(),
              r.averageOrderValue(),
              r.tenureDays(),
              r.probabilityAlive(),
              r.clv12m()));
    }
    return b.toString();
  }

  static double[] values(List<Member> list, ToDoubleFunction<Member> f) {
    double[] v = list.stream().mapToDouble(f).filter(Double::isFinite).toArray();
    Arrays.sort(v);
    return v;
  }

  /** The q-quantile of sorted values by linear interpolation; NaN when there are none. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static final String[] COLORS = {"#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"};
  private static final int PANEL_W = 320;
  private static final int PANEL_H = 230;

  /**
   * Box plots (quartiles, whiskers at the 5th and 95th percentile, median marked) of recency,
   * frequency, monetary value, P(alive), order value and 12-month CLV by segment; the value axes of
   * the skewed measures are logarithmic (log10 of 1 + value).
   */
  public static String svg(List<Member> members, String title) {
    Map<String, List<Member>> groups = bySegment(members);
    String[] panels = {
      "recencyDays", "frequency", "monetary", "probabilityAlive", "averageOrderValue", "clv12m"
    };
    String[] labels = {
      "recency (days)",
      "frequency (repeat days)",
      "monetary (net)",
      "P(alive)",
      "average order value",
      "12-month CLV"
    };
    int cols = 3;
    int width = cols * PANEL_W + 40;
    int height = 2 * PANEL_H + 110;
    StringBuilder b = new StringBuilder();
    b.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n",
            width, height));
    b.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    b.append(f("<text x=\"20\" y=\"26\" font-size=\"16\">%s</text>%n", escape(title)));
    int lx = 20;
    int s = 0;
    for (var e : groups.entrySet()) {
      b.append(
          f(
              "<rect x=\"%d\" y=\"38\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"48\">%s (%d)</text>%n",
              lx, COLORS[s % COLORS.length], lx + 16, escape(e.getKey()), e.getValue().size()));
      lx += 190;
      s++;
    }
    for (int p = 0; p < panels.length; p++) {
      int x0 = 20 + (p % cols) * PANEL_W;
      int y0 = 70 + (p / cols) * (PANEL_H + 20);
      boolean log = !panels[p].equals("probabilityAlive");
      ToDoubleFunction<Member> f = VALUES.get(COLUMNS.indexOf(panels[p]));
      panel(b, x0, y0, labels[p], groups, f, log);
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static void panel(
      StringBuilder b,
      int x0,
      int y0,
      String label,
      Map<String, List<Member>> groups,
      ToDoubleFunction<Member> f,
      boolean log) {
    int left = x0 + 46;
    int right = x0 + PANEL_W - 14;
    int top = y0 + 22;
    int bottom = y0 + PANEL_H - 16;
    double hi = 0;
    List<double[]> stats = new ArrayList<>();
    for (List<Member> list : groups.values()) {
      double[] v = values(list, f);
      double[] q = new double[5];
      double[] at = {0.05, 0.25, 0.5, 0.75, 0.95};
      for (int i = 0; i < 5; i++) {
        double raw = quantile(v, at[i]);
        q[i] = log ? Math.log10(1 + Math.max(0, raw)) : raw;
      }
      stats.add(q);
      if (Double.isFinite(q[4])) {
        hi = Math.max(hi, q[4]);
      }
    }
    hi = log ? Math.max(1, Math.ceil(hi)) : 1;
    b.append(
        f(
            "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s%s</text>%n",
            x0 + 4, y0 + 12, escape(label), log ? " (log scale)" : ""));
    b.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
            left, bottom, right, bottom));
    b.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
            left, top, left, bottom));
    int ticks = log ? (int) hi : 4;
    for (int t = 0; t <= ticks; t++) {
      double v = hi * t / ticks;
      double y = bottom - (bottom - top) * v / hi;
      String text = log ? tickLabel(Math.pow(10, v) - 1) : String.format(Locale.ROOT, "%.2f", v);
      b.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              left, y, right, y, left - 4, y + 4, text));
    }
    int n = stats.size();
    double slot = (double) (right - left) / n;
    for (int i = 0; i < n; i++) {
      double[] q = stats.get(i);
      if (!Double.isFinite(q[2])) {
        continue;
      }
      double cx = left + slot * (i + 0.5);
      double w = slot * 0.5;
      double[] y = new double[5];
      for (int k = 0; k < 5; k++) {
        y[k] = bottom - (bottom - top) * Math.min(q[k], hi) / hi;
      }
      String color = COLORS[i % COLORS.length];
      b.append(
          f(
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
              cx, y[0], cx, y[4], color));
      b.append(
          f(
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\""
                  + " fill-opacity=\"0.35\" stroke=\"%s\"/>%n",
              cx - w / 2, y[3], w, Math.max(1, y[1] - y[3]), color, color));
      b.append(
          f(
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                  + " stroke-width=\"2.5\"/>%n",
              cx - w / 2, y[2], cx + w / 2, y[2], color));
    }
  }

  private static String tickLabel(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%.0fk", v / 1000);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
