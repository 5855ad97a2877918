package io.nextbest.tools.decision.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison: each policy's purchase value over "none" per customer per measured day, against
 * manual priority and the oracle.
 */
public final class Report {
  public static final String NONE = "none";
  public static final String MANUAL = "manual priority";
  public static final String RANDOM = "random";
  public static final String ORACLE = "oracle";
  public static final String LIVE = "NextBest (live system)";
  public static final String ENGINE = "NextBest engine (in-process)";

  /**
   * One policy's figures.
   *
   * @param policy its name
   * @param valuePerCustomerDay purchase value per customer per measured day
   * @param upliftPerCustomerDay the same less none's: (value − none's value) / (customers ×
   *     measured days)
   * @param timesManual uplift over manual priority's, null when manual's is not positive
   * @param shareOfOracle uplift as a share of the oracle's, null when the oracle's is not positive
   * @param sendsPerCustomerDay sends per customer per measured day
   * @param unsubscribes unsubscribes over the whole run
   * @param purchases purchases over the whole run
   * @param cumulativeUplift uplift over none per customer, summed from day 0 to each day
   */
  public record Row(
      String policy,
      double valuePerCustomerDay,
      double upliftPerCustomerDay,
      Double timesManual,
      Double shareOfOracle,
      double sendsPerCustomerDay,
      long unsubscribes,
      long purchases,
      double[] cumulativeUplift) {}

  private final int customers;
  private final int from;
  private final int to;
  private final List<Row> rows;

  private Report(int customers, int from, int to, List<Row> rows) {
    this.customers = customers;
    this.from = from;
    this.to = to;
    this.rows = rows;
  }

  /**
   * The figures of {@code ledgers} (in table order; one must be {@link #NONE}), measured from day
   * {@code from} to the end.
   */
  public static Report of(int customers, int from, Map<String, DailyLedger> ledgers) {
    DailyLedger none = ledgers.get(NONE);
    if (none == null) {
      throw new IllegalArgumentException("the none policy is the reference and must be run");
    }
    int to = none.days();
    double measured = (double) customers * (to - from);
    Map<String, Double> uplift = new LinkedHashMap<>();
    ledgers.forEach(
        (name, l) -> uplift.put(name, (l.value(from, to) - none.value(from, to)) / measured));
    Double manual = uplift.get(MANUAL);
    Double oracle = uplift.get(ORACLE);
    List<Row> rows = new ArrayList<>();
    ledgers.forEach(
        (name, l) -> {
          double u = uplift.get(name);
          double[] cumulative = new double[to];
          double sum = 0;
          for (int d = 0; d < to; d++) {
            sum += (l.value(d) - none.value(d)) / customers;
            cumulative[d] = sum;
          }
          rows.add(
              new Row(
                  name,
                  l.value(from, to) / measured,
                  u,
                  manual != null && manual > 0 ? u / manual : null,
                  oracle != null && oracle > 0 ? u / oracle : null,
                  l.sends(from, to) / measured,
                  l.totalUnsubscribes(),
                  l.totalPurchases(),
                  cumulative));
        });
    return new Report(customers, from, to, rows);
  }

  public List<Row> rows() {
    return rows;
  }

  public Row row(String policy) {
    return rows.stream().filter(r -> r.policy().equals(policy)).findFirst().orElse(null);
  }

  public int customers() {
    return customers;
  }

  public int firstMeasuredDay() {
    return from;
  }

  public int days() {
    return to;
  }

  /** The comparison as a Markdown table. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Value over \"none\" per customer per day, days %d-%d of %d, %,d customers%n%n",
            from,
            to - 1,
            to,
            customers));
    b.append(
        "| policy | uplift per customer per day | × manual | share of oracle"
            + " | sends per customer per day | unsubscribes | value per customer per day |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %+.4f | %s | %s | %.3f | %,d | %.4f |%n",
              r.policy(),
              r.upliftPerCustomerDay(),
              r.timesManual() == null ? "–" : String.format(Locale.ROOT, "%.2f×", r.timesManual()),
              r.shareOfOracle() == null
                  ? "–"
                  : String.format(Locale.ROOT, "%.0f%%", 100 * r.shareOfOracle()),
              r.sendsPerCustomerDay(),
              r.unsubscribes(),
              r.valuePerCustomerDay()));
    }
    return b.toString();
  }
}
