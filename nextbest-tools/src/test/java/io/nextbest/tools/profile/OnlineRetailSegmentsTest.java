package io.nextbest.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five segments on the real Online Retail history, computed as profile-service computes them,
 * as of the file's last event: each holds customers and its typical member agrees with its name.
 */
class OnlineRetailSegmentsTest {
  private static final Path DATA =
      Path.of("../../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz");
  private static Map<String, SegmentProfiles.Row> rows;
  private static OfflineSegments.Result result;

  @BeforeAll
  static void fit() throws Exception {
    Assumptions.assumeTrue(Files.exists(DATA), "shared data set beside the repository");
    OnlineRetailOrders orders = new OnlineRetailOrders(false);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(DATA)), StandardCharsets.UTF_8))) {
      in.readLine();
      in.lines().forEach(orders::add);
    }
    OnlineRetailOrders.Grouped g = orders.group();
    result = OfflineSegments.run(g.events(), g.latest());
    List<SegmentProfiles.Row> table = SegmentProfiles.table(result.members());
    System.out.print(SegmentProfiles.text(table));
    rows =
        table.stream().collect(Collectors.toMap(SegmentProfiles.Row::segment, Function.identity()));
  }

  @Test
  void everySegmentHoldsCustomers() {
    assertThat(rows.values()).allSatisfy(r -> assertThat(r.members()).isGreaterThan(100));
  }

  @Test
  void atRiskIsTheLongestQuietAndLeastLikelyAlive() {
    var atRisk = rows.get("at-risk");
    for (var r : rows.values()) {
      if (r != atRisk) {
        assertThat(atRisk.recencyDays()).as(r.segment()).isGreaterThan(r.recencyDays());
        assertThat(atRisk.probabilityAlive()).as(r.segment()).isLessThan(r.probabilityAlive());
      }
    }
  }

  @Test
  void loyalBuyRepeatedlyForLongAndAreNotQuiet() {
    var loyal = rows.get("loyal");
    assertThat(loyal.frequency())
        .isGreaterThan(rows.get("at-risk").frequency())
        .isGreaterThan(rows.get("new-exploring").frequency())
        .isGreaterThanOrEqualTo(rows.get("opportunity").frequency());
    assertThat(loyal.tenureDays()).isGreaterThan(4 * rows.get("new-exploring").tenureDays());
    assertThat(loyal.recencyDays()).isLessThan(rows.get("at-risk").recencyDays() / 2);
  }

  @Test
  void highValueHasTheMostExpectedValueAndNetValueAndBuysMostOften() {
    var high = rows.get("high-value");
    for (var r : rows.values()) {
      if (r != high) {
        assertThat(high.clv12m()).as(r.segment()).isGreaterThan(r.clv12m());
        assertThat(high.monetary()).as(r.segment()).isGreaterThan(r.monetary());
        assertThat(high.frequency()).as(r.segment()).isGreaterThan(r.frequency());
        assertThat(high.recencyDays()).as(r.segment()).isLessThanOrEqualTo(r.recencyDays());
      }
    }
  }

  @Test
  void newExploringAreTheMostRecentlyAcquaintedAndBoughtOnce() {
    var fresh = rows.get("new-exploring");
    for (var r : rows.values()) {
      if (r != fresh) {
        assertThat(fresh.tenureDays()).as(r.segment()).isLessThan(r.tenureDays());
      }
    }
    assertThat(fresh.frequency()).isZero();
  }

  @Test
  void opportunityIsActiveWithModestValueSoFar() {
    var opportunity = rows.get("opportunity");
    assertThat(opportunity.recencyDays()).isLessThan(rows.get("at-risk").recencyDays() / 4);
    assertThat(opportunity.frequency()).isPositive();
    assertThat(opportunity.monetary())
        .isLessThan(rows.get("high-value").monetary())
        .isLessThan(rows.get("loyal").monetary());
    assertThat(opportunity.clv12m()).isLessThan(rows.get("high-value").clv12m());
  }

  @Test
  void typicalValuesComeFromTheSameFitAndMoment() {
    assertThat(result.segments().asOf()).isEqualTo(result.clv().asOf());
    assertThat(result.segments().typical()).containsOnlyKeys(rows.keySet());
  }
}
