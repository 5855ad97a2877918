package io.nextbest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The Overview, Learning and Customer panels fed by decision-service. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
@QuarkusTestResource(value = FakeDecisionService.class, restrictToAnnotatedClass = true)
class DecisionPanelsTest {
  private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

  private static String page(String path) {
    return Browser.as("marketer").get(path).then().statusCode(200).extract().asString();
  }

  @Test
  void overviewShowsDecisionsByRuleTheDailyUpliftAndTheAlerts() {
    String html = page("/overview");
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    // decisions per day by rule: model, exploration, manual, control, none, total
    assertThat(html)
        .contains(
            "<th scope=\"row\">2026-12-02</th><td>5</td><td>1</td><td>2</td><td>3</td><td>0</td>"
                + "<td>11</td>")
        .contains("data-chart=\"rules\"")
        .contains("role=\"img\"");
    // the programme's uplift on that day, with its interval and always-valid p-value
    assertThat(html)
        .contains("<th scope=\"row\">2026-12-02</th><td>8</td><td>3</td>")
        .contains("+2.250 (95%: +0.250 to +4.250)")
        .contains("<td>0.200</td>");
    // alerts: the campaign's sample-ratio mismatch, the guard's demotion, escaped
    assertThat(html)
        .contains("Sample-ratio mismatch for campaign <strong>" + ESCAPED + "</strong>")
        .contains(
            "demoted to apprentice mode on 2026-12-01T00:00:00Z by the guard: demoted: " + ESCAPED);
  }

  @Test
  void aKafkaOutageOnlyEmptiesTheDeadLetterPart() {
    String html = page("/overview");
    assertThat(html)
        .contains(
            "Dead-letter counts unavailable: decision-service is not answering (answered 503)")
        .contains("Decisions per day by rule")
        .contains("<td>11</td>");
  }

  @Test
  void learningShowsExplorationTheOffPolicyComparisonAndTheHeaviestFeatures() {
    String html = page("/learning");
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    assertThat(html)
        .contains("<th scope=\"row\">" + ESCAPED + "</th><td>8</td><td>5</td><td>1</td><td>2</td>")
        .contains("12.5%")
        .contains("<th scope=\"row\">none</th><td>3</td>");
    assertThat(html)
        .contains("+1.250 (95%: +1.000 to +1.500)")
        .contains("+0.500 (95%: +0.100 to +0.900)")
        .contains("Match rate (the model's top action was the one taken): 50.0%");
    assertThat(html)
        .contains("<caption>" + ESCAPED + ": heaviest features (40 decisions learned)</caption>")
        .contains("<th scope=\"row\">" + ESCAPED + "</th><td>-0.7500</td><td>1.5000</td>");
  }

  @Test
  void theCustomerPageShowsTheLastDecisionsWithTheirExplanationAndOutcomes() {
    String html = page("/customers/mallory");
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    assertThat(html)
        .contains("2026-12-02T10:00:00Z: " + ESCAPED)
        .contains("+1.840 ± 0.610")
        .contains("<th scope=\"row\">" + ESCAPED + "</th><td>0.830</td><td>auto</td>")
        .contains("<th scope=\"row\">spring</th><td>0.100</td><td>manual 5</td><td>push</td>")
        .contains("holds the customer")
        .contains("<th scope=\"row\">impression</th>")
        .contains("<th scope=\"row\">conversion</th><td>42.50</td>")
        .contains("1 worth 42.50 within 7 days")
        .contains("/customers/mallory?before=b2xkZXI");
  }

  @Test
  void theCustomerPageShowsTheCampaignsExcludedAtEachDecisionsMomentEscaped() {
    String html = page("/customers/mallory");
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    assertThat(html)
        .contains(
            "<caption>Campaigns excluded at this decision's moment, with the reason</caption>")
        .contains(
            "<th scope=\"row\">" + ESCAPED + "</th><td>FREQUENCY_CAP</td><td>" + ESCAPED + "</td>");
  }
}
