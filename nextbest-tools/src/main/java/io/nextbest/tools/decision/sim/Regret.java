package io.nextbest.tools.decision.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the in-process engine loses against the myopic oracle, moment by moment over the measured
 * days: each decision is compared with the oracle's choice at the same moment (the candidate with
 * the highest true expected value of this send alone, or none when no send has a positive one), and
 * the difference in true value is the loss. Myopic, like the oracle: the loss does not count what a
 * send does to the value of later sends (their fatigue), which a learning policy's rewards do.
 */
public final class Regret {
  /** What each measured decision is judged against. */
  private static final LocalPolicy ORACLE = Baselines.oracle();

  /** How a decision relates to the oracle's choice at its moment. */
  public enum Kind {
    AGREES("agrees with the oracle"),
    MISSED_SEND("the oracle sends, the engine does not"),
    WRONG_CAMPAIGN("both send, different campaigns"),
    NEEDLESS_SEND("the engine sends, the oracle would not");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Moments and value lost, of one kind or one oracle choice. */
  static final class Tally {
    long moments;
    long agreed;
    double lost;

    void add(double loss, boolean agrees) {
      moments++;
      agreed += agrees ? 1 : 0;
      lost += loss;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("moments", moments);
      m.put("agreed", agreed);
      m.put("valueLost", lost);
      return m;
    }
  }

  /** What the engine believed sends to be worth, against their true value. */
  static final class Belief {
    long moments;
    double believed;
    double truth;

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("moments", moments);
      m.put("meanBelieved", moments > 0 ? believed / moments : 0);
      m.put("meanTrue", moments > 0 ? truth / moments : 0);
      return m;
    }
  }

  /** Beliefs recorded for every candidate of a moment (the in-process engine's model). */
  public static final String CANDIDATES = "at every candidate";

  /** Beliefs recorded for the chosen campaign only (the services' {@code expectedUplift}). */
  public static final String CHOSEN = "of the chosen campaign only (the answer's expectedUplift)";

  private final String beliefScope;
  private final Map<Kind, Tally> byKind = new LinkedHashMap<>();
  private final Map<String, Belief> beliefs = new TreeMap<>();
  private final Map<String, Tally> byOracleChoice = new TreeMap<>();
  private double oracleValue;

  public Regret() {
    this(CANDIDATES);
  }

  /**
   * @param beliefScope what the recorded beliefs are: {@link #CANDIDATES} or {@link #CHOSEN}
   */
  public Regret(String beliefScope) {
    this.beliefScope = beliefScope;
    for (Kind k : Kind.values()) {
      byKind.put(k, new Tally());
    }
  }

  /**
   * Records one decision.
   *
   * @param oracleChoice the oracle's campaign, or null for none
   * @param oracleValue its true expected value (0 for none)
   * @param choice the policy's campaign, or null for none
   * @param value the true expected value of the policy's choice (0 for none)
   */
  public void record(String oracleChoice, double oracleValue, String choice, double value) {
    boolean agrees = oracleChoice == null ? choice == null : oracleChoice.equals(choice);
    Kind kind;
    if (agrees) {
      kind = Kind.AGREES;
    } else if (oracleChoice == null) {
      kind = Kind.NEEDLESS_SEND;
    } else {
      kind = choice == null ? Kind.MISSED_SEND : Kind.WRONG_CAMPAIGN;
    }
    double loss = agrees ? 0 : oracleValue - value;
    byKind.get(kind).add(loss, agrees);
    byOracleChoice
        .computeIfAbsent(oracleChoice == null ? "none" : oracleChoice, k -> new Tally())
        .add(loss, agrees);
    this.oracleValue += oracleValue;
  }

  /**
   * Judges a choice at a measured moment against the oracle's (the baselines' own), before the send
   * changes the world.
   *
   * @param choice the policy's campaign index, or {@link LocalPolicy#NONE}
   * @return the true expected value of the choice (0 for none)
   */
  public double judge(Market market, Visit v, List<Integer> candidates, int choice) {
    int best = ORACLE.choose(v, candidates, market);
    double value = value(market, v, choice);
    record(id(market, best), value(market, v, best), id(market, choice), value);
    return value;
  }

  private static double value(Market market, Visit v, int campaign) {
    return campaign == LocalPolicy.NONE ? 0 : market.expectedValue(v, campaign);
  }

  /** The campaign id of an index, null for none. */
  static String id(Market market, int campaign) {
    return campaign == LocalPolicy.NONE ? null : market.config().campaigns().get(campaign).id();
  }

  /**
   * Records what the engine's model believed a candidate's send to be worth over "none" at a
   * measured moment (its posterior mean), next to the send's true value.
   *
   * @param campaign the candidate
   * @param device the moment's device, the context key campaigns respond to most differently
   */
  public void believe(String campaign, String device, double believed, double truth) {
    Belief b = beliefs.computeIfAbsent(campaign + " | " + device, k -> new Belief());
    b.moments++;
    b.believed += believed;
    b.truth += truth;
  }

  /** The mean belief and truth of a campaign on a device, or null when never recorded. */
  public double[] belief(String campaign, String device) {
    Belief b = beliefs.get(campaign + " | " + device);
    return b == null ? null : new double[] {b.believed / b.moments, b.truth / b.moments};
  }

  /** The oracle's total true value over the recorded moments. */
  public double oracleValue() {
    return oracleValue;
  }

  /** The total value lost against the oracle. */
  public double lost() {
    return byKind.values().stream().mapToDouble(t -> t.lost).sum();
  }

  /** Moments and value lost of one kind. */
  public long moments(Kind kind) {
    return byKind.get(kind).moments;
  }

  public double lost(Kind kind) {
    return byKind.get(kind).lost;
  }

  /** The figures as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("oracleValue", oracleValue);
    Map<String, Object> kinds = new LinkedHashMap<>();
    byKind.forEach((k, t) -> kinds.put(k.name().toLowerCase(Locale.ROOT), t.toMap()));
    m.put("byKind", kinds);
    Map<String, Object> choices = new LinkedHashMap<>();
    byOracleChoice.forEach((k, t) -> choices.put(k, t.toMap()));
    m.put("byOracleChoice", choices);
    Map<String, Object> believed = new LinkedHashMap<>();
    beliefs.forEach((k, b) -> believed.put(k, b.toMap()));
    m.put("beliefs", believed);
    return m;
  }

  /** Two markdown tables: the loss by kind, and by the oracle's choice. */
  public String markdown(int firstDay, int days) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Where the engine loses against the oracle, days %d-%d (true values of each send"
                + " alone, as the oracle sees them; %.0f%% of the oracle's value lost)%n%n",
            firstDay,
            days - 1,
            oracleValue > 0 ? 100 * lost() / oracleValue : 0));
    out.append("| decision | moments | value lost | share of the loss |\n|---|---:|---:|---:|\n");
    double total = lost();
    byKind.forEach(
        (k, t) ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,.0f | %.0f%% |%n",
                    k.label,
                    t.moments,
                    t.lost,
                    total > 0 ? 100 * t.lost / total : 0)));
    out.append("\n| the oracle's choice | moments | the engine's the same | value lost |\n");
    out.append("|---|---:|---:|---:|\n");
    byOracleChoice.forEach(
        (k, t) ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.0f%% | %,.0f |%n",
                    k,
                    t.moments,
                    t.moments > 0 ? 100.0 * t.agreed / t.moments : 0,
                    t.lost)));
    if (!beliefs.isEmpty()) {
      out.append(
          "\nWhat the engine believed a send worth over none (its model's mean) against the true"
              + " value, "
              + beliefScope
              + ", per campaign and device, averaged over the measured moments\n\n");
      out.append("| campaign | device | moments | believed | true |\n|---|---|---:|---:|---:|\n");
      beliefs.forEach(
          (k, b) -> {
            String[] parts = k.split(" \\| ", 2);
            out.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d | %+.2f | %+.2f |%n",
                    parts[0],
                    parts[1],
                    b.moments,
                    b.believed / b.moments,
                    b.truth / b.moments));
          });
    }
    return out.toString();
  }
}
