package io.nextbest.decision.report;

import io.nextbest.decision.repository.DecisionLogRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The programme day by day, from the daily rollup (never the decision log): decisions per day by
 * rule, each campaign's decisions by rule over the period, and the programme's uplift against the
 * global control as a cumulative daily series. Its size is bounded by days × campaigns × rules.
 */
@ApplicationScoped
public class DailyReport {
  private final DecisionLogRepository decisionLog;
  private final UpliftReport uplift;

  public DailyReport(DecisionLogRepository decisionLog, UpliftReport uplift) {
    this.decisionLog = decisionLog;
    this.uplift = uplift;
  }

  /**
   * Decisions of one day by how they were decided.
   *
   * @param day the UTC day
   * @param byRule decisions per rule: model, exploration, manual, control, none
   */
  public record Day(LocalDate day, Map<String, Long> byRule) {}

  /**
   * One campaign (or none) over the period.
   *
   * @param campaignId the campaign, null for decisions that sent nothing
   * @param decisions all its decisions
   * @param byRule decisions per rule
   * @param explorationShare the share chosen by exploration
   */
  public record Campaign(
      String campaignId, long decisions, Map<String, Long> byRule, double explorationShare) {}

  /**
   * The report.
   *
   * @param from the first UTC day
   * @param to the last UTC day
   * @param days decisions per day by rule, every day of the period
   * @param campaigns each campaign and none, most decisions first
   * @param programme the programme against the global control, cumulative from {@code from}
   */
  public record Report(
      LocalDate from,
      LocalDate to,
      List<Day> days,
      List<Campaign> campaigns,
      List<UpliftReport.DailyUplift> programme) {}

  /** The last {@code days} UTC days, today included. */
  public Uni<Report> compute(int days) {
    LocalDate to = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = to.minusDays(days - 1L);
    return decisionLog
        .daily(from, to.plusDays(1))
        .map(
            rows -> {
              TreeMap<LocalDate, Map<String, Long>> perDay = new TreeMap<>();
              for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                perDay.put(d, new TreeMap<>());
              }
              Map<String, Map<String, Long>> perCampaign = new TreeMap<>();
              TreeMap<LocalDate, UpliftReport.Totals> treated = new TreeMap<>();
              TreeMap<LocalDate, UpliftReport.Totals> control = new TreeMap<>();
              for (Row r : rows) {
                LocalDate day = r.getLocalDate(0);
                String campaign = r.getString(1);
                String rule = r.getString(2);
                long n = r.getLong(5);
                perDay.computeIfAbsent(day, k -> new TreeMap<>()).merge(rule, n, Long::sum);
                perCampaign
                    .computeIfAbsent(campaign, k -> new TreeMap<>())
                    .merge(rule, n, Long::sum);
                UpliftReport.Totals t = new UpliftReport.Totals();
                t.decisions = n;
                t.converted = r.getLong(6);
                t.value = r.getDouble(7);
                t.valueSquares = r.getDouble(8);
                (r.getBoolean(4) ? control : treated)
                    .computeIfAbsent(day, k -> new UpliftReport.Totals())
                    .add(t);
              }
              List<Day> dayList = new ArrayList<>();
              perDay.forEach((d, m) -> dayList.add(new Day(d, m)));
              List<Campaign> campaigns = new ArrayList<>();
              perCampaign.forEach(
                  (id, m) -> {
                    long all = m.values().stream().mapToLong(Long::longValue).sum();
                    long explored = m.getOrDefault("exploration", 0L);
                    campaigns.add(
                        new Campaign(
                            id.isEmpty() ? null : id,
                            all,
                            m,
                            all == 0 ? 0 : (double) explored / all));
                  });
              campaigns.sort((a, b) -> Long.compare(b.decisions(), a.decisions()));
              return new Report(from, to, dayList, campaigns, uplift.series(treated, control));
            });
  }
}
