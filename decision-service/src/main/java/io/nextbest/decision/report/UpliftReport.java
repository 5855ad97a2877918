package io.nextbest.decision.report;

import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.Stats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Uplift: per campaign, its treated decisions against its randomized control group; for the whole
 * programme, every decision against the global control group. Conversions and value are the
 * customer's conversions within each decision's horizon, each order once. Each comparison carries
 * 95% intervals (conversion rates: Wilson score intervals, which stay within [0, 1] however few the
 * decisions or conversions), a sample-ratio-mismatch check on distinct customers and an
 * always-valid p-value from the mixture SPRT over daily looks, so it may be read every day without
 * inflating false alarms. Without control decisions there is nothing to compare with: the uplift is
 * null and the comparison says so ({@code noControl}, {@code reason}).
 */
@ApplicationScoped
public class UpliftReport {
  /** SRM alert threshold. */
  static final double SRM_ALERT_P = 0.001;

  private final DecisionLogRepository decisionLog;
  private final CampaignInfo campaigns;
  private final double tau;

  public UpliftReport(
      DecisionLogRepository decisionLog,
      CampaignInfo campaigns,
      io.nextbest.decision.DecisionConfig config) {
    this.decisionLog = decisionLog;
    this.campaigns = campaigns;
    this.tau = config.report().msprtTau();
  }

  /** Totals of one group up to some day. */
  public static final class Totals {
    long decisions;
    long converted;
    double value;
    double valueSquares;

    void add(Totals o) {
      decisions += o.decisions;
      converted += o.converted;
      value += o.value;
      valueSquares += o.valueSquares;
    }
  }

  /**
   * One arm of a comparison.
   *
   * @param decisions decisions
   * @param customers distinct customers
   * @param conversionRate share of decisions followed by a conversion in the window
   * @param valuePerDecision conversion value per decision
   */
  public record Group(
      long decisions,
      long customers,
      Stats.Interval conversionRate,
      Stats.Interval valuePerDecision) {}

  /**
   * Treated minus control.
   *
   * @param conversionRate difference in conversion rate
   * @param valuePerDecision difference in value per decision
   * @param relativeConversionLift treated over control conversion rate, minus one (null if control
   *     has none)
   */
  public record Uplift(
      Stats.Interval conversionRate,
      Stats.Interval valuePerDecision,
      Double relativeConversionLift) {}

  /**
   * Sample-ratio-mismatch check.
   *
   * @param expectedControlShare configured share
   * @param observedControlShare observed share of distinct customers
   * @param chiSquare χ² statistic (1 df)
   * @param p its p-value
   * @param alert p below 0.001: the split is broken, do not trust the comparison
   */
  public record SampleRatio(
      Double expectedControlShare,
      double observedControlShare,
      double chiSquare,
      double p,
      boolean alert) {}

  /**
   * Always-valid sequential test of the conversion-rate difference.
   *
   * @param looks daily looks so far
   * @param alwaysValidP p-value valid at any stopping time (running minimum over looks)
   * @param significant p below 0.05
   * @param mixingSd the mixing distribution's standard deviation τ
   */
  public record Sequential(int looks, double alwaysValidP, boolean significant, double mixingSd) {}

  /**
   * One comparison.
   *
   * @param campaignId the campaign, or null for the whole programme
   * @param treated treated group
   * @param control control group
   * @param uplift treated minus control; null when there is no control decision to compare with
   * @param noControl true when the control group has no decision in the period
   * @param reason why there is no uplift, null when there is one
   * @param sampleRatio split check
   * @param sequential always-valid test
   */
  public record Comparison(
      String campaignId,
      Group treated,
      Group control,
      Uplift uplift,
      boolean noControl,
      String reason,
      SampleRatio sampleRatio,
      Sequential sequential) {}

  /**
   * The report.
   *
   * @param since decisions from
   * @param generatedAt when computed
   * @param programme all decisions vs the global control group
   * @param campaigns per campaign, treated vs its control group
   */
  public record Report(
      Instant since, Instant generatedAt, Comparison programme, List<Comparison> campaigns) {}

  private record Key(String campaign, boolean control, boolean globalControl) {}

  public Uni<Report> compute(Instant since) {
    var daily = decisionLog.upliftByDay(since, Decider.GLOBAL_CONTROL);
    var customers = decisionLog.customersByGroup(since);
    return Uni.combine()
        .all()
        .unis(daily, customers)
        .with(
            (rows, people) -> {
              Map<Key, TreeMap<LocalDate, Totals>> byKey = new HashMap<>();
              for (Row r : rows) {
                Totals t = new Totals();
                t.decisions = r.getLong(4);
                t.converted = r.getLong(5);
                t.value = r.getDouble(6);
                t.valueSquares = r.getDouble(7);
                byKey
                    .computeIfAbsent(
                        new Key(r.getString(0), r.getBoolean(1), r.getBoolean(2)),
                        k -> new TreeMap<>())
                    .merge(
                        r.getLocalDate(3),
                        t,
                        (a, b) -> {
                          a.add(b);
                          return a;
                        });
              }
              Map<Key, Long> distinct = new HashMap<>();
              people.forEach(
                  (group, n) -> {
                    if (group.startsWith("t:") || group.startsWith("c:")) {
                      distinct.put(new Key(group.substring(2), group.startsWith("c:"), false), n);
                    }
                  });
              return build(
                  since,
                  byKey,
                  distinct,
                  people.getOrDefault("p", 0L),
                  people.getOrDefault("g", 0L));
            });
  }

  /**
   * One day of the programme against the global control, cumulative from the series' first day.
   *
   * @param day the UTC day
   * @param treated decisions outside the global control up to this day
   * @param control global-control decisions up to this day
   * @param conversionRate treated minus control conversion rate, null without both groups
   * @param valuePerDecision treated minus control value per decision, null without both groups
   * @param alwaysValidP the always-valid p-value after this day's look (running minimum)
   */
  public record DailyUplift(
      LocalDate day,
      long treated,
      long control,
      Stats.Interval conversionRate,
      Stats.Interval valuePerDecision,
      double alwaysValidP) {}

  /**
   * The programme's uplift day by day from rollup rows of treated and global-control decisions:
   * each day's totals from the first day on, with the same intervals and the same always-valid
   * p-value the report gives for the whole period.
   */
  public List<DailyUplift> series(
      TreeMap<LocalDate, Totals> treatedDays, TreeMap<LocalDate, Totals> controlDays) {
    TreeSet<LocalDate> days = new TreeSet<>(treatedDays.keySet());
    days.addAll(controlDays.keySet());
    Totals t = new Totals();
    Totals c = new Totals();
    double minP = 1;
    List<DailyUplift> out = new ArrayList<>();
    for (LocalDate day : days) {
      if (treatedDays.containsKey(day)) {
        t.add(treatedDays.get(day));
      }
      if (controlDays.containsKey(day)) {
        c.add(controlDays.get(day));
      }
      if (t.decisions > 0 && c.decisions > 0) {
        Stats.Interval conversion =
            Stats.difference(
                conversionRate(t.converted, t.decisions), conversionRate(c.converted, c.decisions));
        Stats.Interval normal =
            Stats.difference(
                Stats.proportion(t.converted, t.decisions),
                Stats.proportion(c.converted, c.decisions));
        double v = normal.se() * normal.se();
        if (v > 0) {
          minP =
              Math.min(
                  minP, Math.min(1, 1 / Stats.msprtLikelihoodRatio(normal.value(), v, tau * tau)));
        }
        out.add(
            new DailyUplift(
                day,
                t.decisions,
                c.decisions,
                conversion,
                Stats.difference(
                    Stats.mean(t.value, t.valueSquares, t.decisions),
                    Stats.mean(c.value, c.valueSquares, c.decisions)),
                minP));
      } else {
        out.add(new DailyUplift(day, t.decisions, c.decisions, null, null, minP));
      }
    }
    return out;
  }

  private Report build(
      Instant since,
      Map<Key, TreeMap<LocalDate, Totals>> byKey,
      Map<Key, Long> distinct,
      long programmeCustomers,
      long globalControlCustomers) {
    TreeMap<LocalDate, Totals> programme = new TreeMap<>();
    TreeMap<LocalDate, Totals> global = new TreeMap<>();
    TreeSet<String> ids = new TreeSet<>();
    byKey.forEach(
        (k, days) -> {
          TreeMap<LocalDate, Totals> target = k.globalControl() ? global : programme;
          days.forEach((day, t) -> target.computeIfAbsent(day, d -> new Totals()).add(t));
          if (k.campaign() != null && !k.globalControl()) {
            ids.add(k.campaign());
          }
        });
    double gcPercent = campaigns.globalControlPercent();
    Comparison overall =
        compare(
            null,
            programme,
            global,
            programmeCustomers,
            globalControlCustomers,
            Double.isNaN(gcPercent) ? null : gcPercent / 100,
            tau);
    List<Comparison> perCampaign = new ArrayList<>();
    for (String id : ids) {
      var meta = campaigns.all().get(id);
      perCampaign.add(
          compare(
              id,
              byKey.getOrDefault(new Key(id, false, false), new TreeMap<>()),
              byKey.getOrDefault(new Key(id, true, false), new TreeMap<>()),
              distinct.getOrDefault(new Key(id, false, false), 0L),
              distinct.getOrDefault(new Key(id, true, false), 0L),
              meta == null ? null : meta.controlPercent() / 100,
              tau));
    }
    return new Report(since, Instant.now(), overall, perCampaign);
  }

  static Comparison compare(
      String campaignId,
      TreeMap<LocalDate, Totals> treatedDays,
      TreeMap<LocalDate, Totals> controlDays,
      long treatedCustomers,
      long controlCustomers,
      Double expectedControlShare,
      double tau) {
    TreeSet<LocalDate> days = new TreeSet<>(treatedDays.keySet());
    days.addAll(controlDays.keySet());
    Totals t = new Totals();
    Totals c = new Totals();
    double minP = 1;
    int looks = 0;
    for (LocalDate day : days) {
      if (treatedDays.containsKey(day)) {
        t.add(treatedDays.get(day));
      }
      if (controlDays.containsKey(day)) {
        c.add(controlDays.get(day));
      }
      if (t.decisions > 0 && c.decisions > 0) {
        looks++;
        Stats.Interval diff =
            Stats.difference(
                Stats.proportion(t.converted, t.decisions),
                Stats.proportion(c.converted, c.decisions));
        double v = diff.se() * diff.se();
        if (v > 0) {
          minP =
              Math.min(
                  minP, Math.min(1, 1 / Stats.msprtLikelihoodRatio(diff.value(), v, tau * tau)));
        }
      }
    }
    Group treated = group(t, treatedCustomers);
    Group control = group(c, controlCustomers);
    long people = treatedCustomers + controlCustomers;
    double observed = people == 0 ? 0 : (double) controlCustomers / people;
    double[] srm =
        expectedControlShare == null
            ? new double[] {0, 1}
            : Stats.sampleRatio(treatedCustomers, controlCustomers, expectedControlShare);
    boolean noControl = c.decisions == 0;
    // treated minus nothing would be the treated value itself, not an uplift
    Uplift uplift =
        noControl
            ? null
            : new Uplift(
                Stats.difference(treated.conversionRate(), control.conversionRate()),
                Stats.difference(treated.valuePerDecision(), control.valuePerDecision()),
                control.conversionRate().value() > 0
                    ? treated.conversionRate().value() / control.conversionRate().value() - 1
                    : null);
    String reason =
        !noControl
            ? null
            : campaignId == null
                ? "no global-control decisions in the period: set a global control share"
                    + " (eligibility settings) to measure the programme's uplift"
                : "no control decisions in the period: give the campaign a controlPercent to"
                    + " measure its uplift";
    return new Comparison(
        campaignId,
        treated,
        control,
        uplift,
        noControl,
        reason,
        new SampleRatio(expectedControlShare, observed, srm[0], srm[1], srm[1] < SRM_ALERT_P),
        new Sequential(looks, minP, minP < 0.05, tau));
  }

  private static Group group(Totals t, long customers) {
    return new Group(
        t.decisions,
        customers,
        conversionRate(t.converted, t.decisions),
        Stats.mean(t.value, t.valueSquares, t.decisions));
  }

  /**
   * A conversion rate with its normal standard error (for differences and the sequential test) and
   * the Wilson score 95% interval (Wilson 1927), which stays within [0, 1]: the normal interval of
   * 1 conversion in 30 decisions reaches below zero.
   */
  static Stats.Interval conversionRate(long converted, long decisions) {
    if (decisions == 0) {
      return Stats.Interval.of(0, 0);
    }
    double n = decisions;
    double p = converted / n;
    double z = Stats.Z95;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
    // analytically low ≤ p ≤ high, 0 for no conversion and 1 for all; rounding must not say else
    return new Stats.Interval(
        p,
        Math.sqrt(p * (1 - p) / n),
        converted == 0 ? 0 : Math.max(0, Math.min(p, centre - half)),
        converted == decisions ? 1 : Math.min(1, Math.max(p, centre + half)));
  }
}
