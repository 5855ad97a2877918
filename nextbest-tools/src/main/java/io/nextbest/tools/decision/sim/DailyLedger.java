package io.nextbest.tools.decision.sim;

/** What one policy's world produced, day by day. */
public final class DailyLedger {
  private final double[] value;
  private final int[] purchases;
  private final int[] drivenPurchases;
  private final int[] moments;
  private final int[] sends;
  private final int[] unsubscribes;

  public DailyLedger(int days) {
    value = new double[days];
    purchases = new int[days];
    drivenPurchases = new int[days];
    moments = new int[days];
    sends = new int[days];
    unsubscribes = new int[days];
  }

  void purchase(int day, double amount, boolean driven) {
    value[day] += amount;
    purchases[day]++;
    if (driven) {
      drivenPurchases[day]++;
    }
  }

  void moment(int day) {
    moments[day]++;
  }

  void send(int day) {
    sends[day]++;
  }

  void unsubscribe(int day) {
    unsubscribes[day]++;
  }

  public int days() {
    return value.length;
  }

  /** Purchase value (after discounts) of the day. */
  public double value(int day) {
    return value[day];
  }

  public int purchases(int day) {
    return purchases[day];
  }

  public int drivenPurchases(int day) {
    return drivenPurchases[day];
  }

  /** Decision moments with at least one candidate. */
  public int moments(int day) {
    return moments[day];
  }

  public int sends(int day) {
    return sends[day];
  }

  public int unsubscribes(int day) {
    return unsubscribes[day];
  }

  /** Purchase value of days {@code from} (inclusive) to {@code to} (exclusive). */
  public double value(int from, int to) {
    double sum = 0;
    for (int d = from; d < to; d++) {
      sum += value[d];
    }
    return sum;
  }

  /** Sends of days {@code from} (inclusive) to {@code to} (exclusive). */
  public long sends(int from, int to) {
    long sum = 0;
    for (int d = from; d < to; d++) {
      sum += sends[d];
    }
    return sum;
  }

  public long totalUnsubscribes() {
    long sum = 0;
    for (int u : unsubscribes) {
      sum += u;
    }
    return sum;
  }

  public long totalPurchases() {
    long sum = 0;
    for (int p : purchases) {
      sum += p;
    }
    return sum;
  }
}
