package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.console.service.CustomerService;
import io.nextbest.console.service.InsightService;
import io.nextbest.decision.report.DailyReport;
import io.nextbest.decision.report.UpliftReport;
import io.nextbest.decision.rest.CustomerDecisions;
import io.nextbest.events.DecisionTrace;
import io.nextbest.events.Moment;
import io.nextbest.models.policy.Stats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's reading of decision-service's daily report and a customer's decisions. */
class ConsoleDecisionContractTest {
  private static final LocalDate DAY = LocalDate.parse("2026-12-02");

  @Test
  void theDailyReportReadsIntoRowsByRuleAndTheDailyUplift() throws Exception {
    DailyReport.Report server =
        new DailyReport.Report(
            DAY,
            DAY,
            List.of(new DailyReport.Day(DAY, Map.of("model", 5L, "exploration", 1L, "none", 2L))),
            List.of(
                new DailyReport.Campaign(
                    "spring", 8, Map.of("model", 7L, "exploration", 1L), 0.125),
                new DailyReport.Campaign(null, 2, Map.of("none", 2L), 0)),
            List.of(
                new UpliftReport.DailyUplift(
                    DAY,
                    8,
                    2,
                    new Stats.Interval(0.1, 0.05, 0.0, 0.2),
                    new Stats.Interval(2.25, 1.0, 0.25, 4.25),
                    0.2)));
    ObjectMapper mapper = ServiceJson.mapper();

    InsightService.Daily console =
        new InsightService(null, mapper).daily(mapper.readTree(mapper.writeValueAsString(server)));

    assertThat(console.days()).hasSize(1);
    // model, exploration, manual, control, none
    assertThat(console.days().get(0).byRule()).containsExactly(5L, 1L, 0L, 0L, 2L);
    assertThat(console.days().get(0).total()).isEqualTo(8);
    assertThat(console.campaigns())
        .extracting(InsightService.CampaignRow::campaign)
        .containsExactly("spring", "none");
    assertThat(console.campaigns().get(0).explorationShare()).isEqualTo("12.5%");
    assertThat(console.programme().get(0).valueUplift())
        .isEqualTo("+2.250 (95%: +0.250 to +4.250)");
    assertThat(console.programme().get(0).alwaysValidP()).isEqualTo("0.200");
    assertThat(console.upliftChart()).contains("\"value\":[2.25]");
  }

  @Test
  void aCustomersDecisionReadsWithItsCandidatesAndOutcomes() throws Exception {
    DecisionTrace.Explanation explanation =
        new DecisionTrace.Explanation(
            "thompson",
            3,
            Map.of("spring", 0.8, "none", 0.2),
            Map.of(),
            List.of(),
            Map.of("spring", "email"),
            null,
            7,
            null,
            1.5,
            0.5,
            "none",
            0.0,
            null,
            Instant.parse("2026-12-02T18:00:00Z"),
            null,
            true,
            List.of(new Moment.Exclusion("winter", "FREQUENCY_CAP", "email: 3 sends in 7 days")));
    CustomerDecisions.Page server =
        new CustomerDecisions.Page(
            "c-1",
            List.of(
                new CustomerDecisions.Item(
                    "d:1",
                    null,
                    "spring",
                    "email",
                    null,
                    0.8,
                    "thompson-v3",
                    false,
                    "exploration",
                    List.of("spring"),
                    new DecisionTrace("f2-1", new double[] {1}, Map.of(), null, null, explanation),
                    Instant.parse("2026-12-02T10:00:00Z"),
                    7,
                    1,
                    42.5,
                    List.of(
                        new CustomerDecisions.OutcomeView(
                            "o1", "click", null, Instant.parse("2026-12-02T18:05:00Z"), null)))),
            "next-cursor");
    ObjectMapper mapper = ServiceJson.mapper();

    CustomerService.Decisions console =
        CustomerService.decisions(mapper.readTree(mapper.writeValueAsString(server)));

    assertThat(console.next()).isEqualTo("next-cursor");
    CustomerService.DecisionRow row = console.items().get(0);
    assertThat(row.rule()).isEqualTo("exploration");
    assertThat(row.expectedUplift()).isEqualTo("+1.500 ± 0.500");
    assertThat(row.sendAt()).isEqualTo("2026-12-02T18:00:00Z");
    assertThat(row.candidates())
        .extracting(CustomerService.Candidate::campaign, CustomerService.Candidate::probability)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spring", "0.800"),
            org.assertj.core.groups.Tuple.tuple("none", "0.200"));
    assertThat(row.outcomes())
        .extracting(CustomerService.OutcomeRow::type)
        .containsExactly("click");
    assertThat(row.conversions()).isEqualTo("1 worth 42.50 within 7 days");
    assertThat(row.exclusions())
        .containsExactly(
            new CustomerService.ExclusionRow(
                "winter", "FREQUENCY_CAP", "email: 3 sends in 7 days"));
  }
}
