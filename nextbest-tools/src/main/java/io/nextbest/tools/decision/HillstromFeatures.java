package io.nextbest.tools.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * Context features of a Hillstrom customer, from the data set's own columns: months since last
 * purchase and past spend as one-hot bands (their effect on response is not linear), what the
 * customer bought (mens, womens, both), newness, zip-code area and purchase channel, and the
 * interactions of newness with the merchandise bought.
 */
final class HillstromFeatures {
  /** Upper bounds of the past-spend bands (the data set's own history segments). */
  private static final double[] HISTORY_BANDS = {100, 200, 350, 500, 750, 1000};

  static final String[] NAMES = names();
  static final int DIMENSION = NAMES.length;

  private HillstromFeatures() {}

  private static String[] names() {
    List<String> n = new ArrayList<>();
    n.add("bias");
    for (int m = 2; m <= 12; m++) {
      n.add("recency=" + m);
    }
    for (double band : HISTORY_BANDS) {
      n.add("history>" + (int) band);
    }
    n.addAll(
        List.of(
            "log-history",
            "bought-mens",
            "bought-womens",
            "bought-both",
            "newbie",
            "urban",
            "suburban",
            "phone",
            "web",
            "newbie*mens",
            "newbie*womens"));
    return n.toArray(String[]::new);
  }

  static double[] encode(
      int recencyMonths,
      double history,
      boolean mens,
      boolean womens,
      String zip,
      boolean newbie,
      String channel) {
    double[] x = new double[DIMENSION];
    int i = 0;
    x[i++] = 1;
    for (int m = 2; m <= 12; m++) {
      x[i++] = recencyMonths == m ? 1 : 0;
    }
    for (double band : HISTORY_BANDS) {
      x[i++] = history > band ? 1 : 0;
    }
    double m = mens ? 1 : 0;
    double w = womens ? 1 : 0;
    double n = newbie ? 1 : 0;
    x[i++] = Math.log1p(history) / 7.0;
    x[i++] = m;
    x[i++] = w;
    x[i++] = m * w;
    x[i++] = n;
    x[i++] = "Urban".equals(zip) ? 1 : 0;
    x[i++] = "Surburban".equals(zip) ? 1 : 0;
    x[i++] = "Phone".equals(channel) ? 1 : 0;
    x[i++] = "Web".equals(channel) ? 1 : 0;
    x[i++] = n * m;
    x[i++] = n * w;
    return x;
  }
}
