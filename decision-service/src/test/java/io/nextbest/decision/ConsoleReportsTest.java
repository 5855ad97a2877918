package io.nextbest.decision;

import static io.nextbest.decision.DecisionLearningTest.await;
import static io.nextbest.decision.DecisionLearningTest.candidates;
import static io.nextbest.decision.DecisionLearningTest.decideAt;
import static io.nextbest.decision.DecisionLearningTest.outcomeAt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.DeadLetterCheck;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * What the console reads of decision-service: the daily rollups, the uplift report read from them,
 * a customer's decisions with their outcomes, the mode history and the dead-letter counts, on real
 * PostgreSQL and Kafka.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ConsoleReportsTest {
  @Inject Pool pool;

  private long count(String sql, String like) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(like))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  private static JsonPath daily(int days) {
    return given()
        .get("/api/v1/reports/daily?days=" + days)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static long dayTotal(JsonPath report, LocalDate day) {
    Map<String, Integer> rules = report.getMap("days.find { it.day == '" + day + "' }.byRule");
    return rules == null ? 0 : rules.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** One decision as it was answered. */
  private record Decided(String customer, String id, String campaign, boolean control) {}

  @Test
  void rollupsCountDecisionsAndConversionsByDayRuleAndCampaign() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String campaign = "daily-" + tag;
    int back = ThreadLocalRandom.current().nextInt(3, 300);
    Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(back));
    LocalDate day = midnight.atOffset(ZoneOffset.UTC).toLocalDate();
    long before = dayTotal(daily(back + 1), day);

    // c0 twice and c1, c2 on the campaign's treated side; c3, c4 in its control group
    List<Decided> decided = new ArrayList<>();
    String[] customers = {"c0", "c0", "c1", "c2", "c3", "c4"};
    for (int i = 0; i < customers.length; i++) {
      String c = "dr-" + tag + "-" + customers[i];
      boolean control = i >= 4;
      JsonPath d =
          decideAt(
              c,
              candidates(campaign + (control ? ":control:5" : ":treat:5")),
              midnight.plus(Duration.ofHours(2 + i)));
      decided.add(
          new Decided(
              c, d.getString("decisionId"), d.getString("campaignId"), d.getBoolean("control")));
    }
    // conversions after every decision, inside every window: c0's order reported twice counts once
    Map<String, Double> converted = Map.of("c0", 10.0, "c1", 30.0, "c3", 5.0);
    Instant later = midnight.plus(Duration.ofHours(10));
    String c0 = "dr-" + tag + "-c0";
    outcomeAt("o1-" + tag, "conversion", c0, decided.get(0).id(), 10.0, "order-" + tag, later);
    outcomeAt("o2-" + tag, "conversion", c0, decided.get(1).id(), 10.0, "order-" + tag, later);
    outcomeAt(
        "o3-" + tag,
        "conversion",
        "dr-" + tag + "-c1",
        decided.get(2).id(),
        30.0,
        "order1-" + tag,
        later);
    outcomeAt(
        "o4-" + tag,
        "conversion",
        "dr-" + tag + "-c3",
        decided.get(4).id(),
        5.0,
        "order3-" + tag,
        later);
    await(
        "six decisions and four outcomes stored",
        () ->
            count("select count(*) from decision_log where customer_id like $1", "dr-" + tag + "-%")
                    == 6
                && count(
                        "select count(*) from outcomes where customer_id like $1",
                        "dr-" + tag + "-%")
                    == 4);

    // what the decisions were: a held-out one is control; apprentice mode may choose none
    Map<String, Long> rules = new HashMap<>();
    long treated = 0;
    long treatedConverted = 0;
    double treatedValue = 0;
    long control = 0;
    long controlConverted = 0;
    double controlValue = 0;
    for (Decided d : decided) {
      String rule = d.control() ? "control" : d.campaign() != null ? "manual" : "exploration";
      if (d.campaign() != null) {
        rules.merge(rule, 1L, Long::sum);
      }
      Double value = converted.get(d.customer().substring(d.customer().lastIndexOf('-') + 1));
      if (campaign.equals(d.campaign()) && !d.control()) {
        treated++;
        treatedConverted += value == null ? 0 : 1;
        treatedValue += value == null ? 0 : value;
      } else if (campaign.equals(d.campaign())) {
        control++;
        controlConverted += value == null ? 0 : 1;
        controlValue += value == null ? 0 : value;
      }
    }

    JsonPath report = daily(back + 1);
    assertThat(dayTotal(report, day) - before).isEqualTo(6);
    String row = "campaigns.find { it.campaignId == '" + campaign + "' }";
    assertThat(report.getLong(row + ".decisions")).isEqualTo(treated + control);
    Map<String, Integer> byRule = report.getMap(row + ".byRule");
    Map<String, Long> got = new HashMap<>();
    byRule.forEach((k, v) -> got.put(k, v.longValue()));
    assertThat(got).isEqualTo(rules);
    assertThat(report.getList("programme.day")).isSorted();

    JsonPath uplift =
        given()
            .get("/api/v1/reports/uplift?since=" + midnight)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String c = "campaigns.find { it.campaignId == '" + campaign + "' }";
    assertThat(uplift.getLong(c + ".treated.decisions")).isEqualTo(treated);
    assertThat(uplift.getLong(c + ".control.decisions")).isEqualTo(control);
    if (treated > 0) {
      assertThat(uplift.getDouble(c + ".treated.conversionRate.value"))
          .isCloseTo((double) treatedConverted / treated, within(1e-9));
      assertThat(uplift.getDouble(c + ".treated.valuePerDecision.value"))
          .isCloseTo(treatedValue / treated, within(1e-9));
    }
    if (control > 0) {
      assertThat(uplift.getDouble(c + ".control.valuePerDecision.value"))
          .isCloseTo(controlValue / control, within(1e-9));
      assertThat(uplift.getLong(c + ".control.customers")).isEqualTo(control);
    }
    // the same answer from a since inside the day (the rest of that day read from the log)
    JsonPath partial =
        given()
            .get("/api/v1/reports/uplift?since=" + midnight.plus(Duration.ofHours(3)))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    long after3 =
        decided.subList(1, decided.size()).stream()
            .filter(d -> campaign.equals(d.campaign()) && !d.control())
            .count();
    assertThat(partial.getLong(c + ".treated.decisions")).isEqualTo(after3);

    // an erase takes the customers' decisions out of the rollups again
    for (String customer : new String[] {"c0", "c1", "c2", "c3", "c4"}) {
      String id = "dr-" + tag + "-" + customer;
      KafkaTopics.send(
          Topics.PRIVACY,
          id,
          "{\"id\":\"erase-%s\",\"type\":\"privacy.erase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\"}"
              .formatted(id, id, Instant.now()));
    }
    await(
        "the customers erased",
        () ->
            count("select count(*) from decision_log where customer_id like $1", "dr-" + tag + "-%")
                == 0);
    JsonPath erased = daily(back + 1);
    assertThat(dayTotal(erased, day)).isEqualTo(before);
    assertThat(erased.getList("campaigns.campaignId")).doesNotContain(campaign);
    JsonPath upliftAfter =
        given()
            .get("/api/v1/reports/uplift?since=" + midnight)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(upliftAfter.getList("campaigns.campaignId")).doesNotContain(campaign);
  }

  @Test
  void aCustomersDecisionsComeNewestFirstWithTheirOutcomesAPageAtATime() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String customer = "dc-" + tag;
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    String first =
        decideAt(customer, candidates("first-" + tag + ":treat:5"), at).getString("decisionId");
    String second =
        decideAt(customer, candidates("second-" + tag + ":treat:5"), at.plus(Duration.ofHours(1)))
            .getString("decisionId");
    outcomeAt(
        "i-" + tag, "impression", customer, second, 0, "none-" + tag, at.plus(Duration.ofHours(2)));
    outcomeAt(
        "v-" + tag,
        "conversion",
        customer,
        second,
        42.5,
        "ord-" + tag,
        at.plus(Duration.ofHours(3)));
    await(
        "both decisions and both outcomes stored",
        () ->
            count("select count(*) from decision_log where customer_id = $1", customer) == 2
                && count("select count(*) from outcomes where customer_id = $1", customer) == 2);

    JsonPath page =
        given()
            .get("/api/v1/decisions?customerId={c}&limit=1", customer)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.getString("items[0].decisionId")).isEqualTo(second);
    assertThat(page.getList("items[0].outcomes.type")).containsExactly("impression", "conversion");
    assertThat(page.getMap("items[0].features.policy.probabilities")).isNotEmpty();
    assertThat(page.getList("items[0].candidates")).containsExactly("second-" + tag);
    // both decisions' windows hold the order
    assertThat(page.getInt("items[0].conversions")).isEqualTo(1);
    assertThat(page.getDouble("items[0].conversionValue")).isEqualTo(42.5);
    String next = page.getString("next");
    assertThat(next).isNotNull();
    JsonPath older =
        given()
            .get("/api/v1/decisions?customerId={c}&limit=1&before={n}", customer, next)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(older.getString("items[0].decisionId")).isEqualTo(first);
    assertThat(older.getInt("items[0].conversions")).isEqualTo(1);
    assertThat(older.getList("items[0].outcomes")).isEmpty();
    assertThat(older.getString("next")).isNull();
  }

  @Test
  void everyQueryParameterIsBoundedWithAProblem() {
    for (String bad :
        new String[] {
          "/api/v1/decisions?customerId=x&limit=0",
          "/api/v1/decisions?customerId=x&limit=51",
          "/api/v1/decisions?customerId=x&limit=abc",
          "/api/v1/decisions?limit=5",
          "/api/v1/decisions?customerId=x&before=not-a-cursor",
          "/api/v1/decisions?customerId=" + "x".repeat(201),
          "/api/v1/reports/daily?days=0",
          "/api/v1/reports/daily?days=367",
          "/api/v1/policies/current/history?limit=0",
          "/api/v1/policies/current/features?top=51",
          "/api/v1/policies/current/features?arms=abc"
        }) {
      given()
          .get(bad)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("status", equalTo(400));
    }
    given().auth().none().get("/api/v1/decisions?customerId=x").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .get("/api/v1/reports/daily")
        .then()
        .statusCode(403);
  }

  @Test
  void theModeHistoryMarksADemotion() {
    String mode = given().get("/api/v1/policies/current").then().extract().path("mode");
    try {
      for (String m : new String[] {"live", "apprentice"}) {
        given()
            .contentType(ContentType.JSON)
            .body("{\"mode\":\"" + m + "\",\"reason\":\"test " + m + "\"}")
            .put("/api/v1/policies/current/mode")
            .then()
            .statusCode(200);
      }
      JsonPath history =
          given()
              .get("/api/v1/policies/current/history?limit=2")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(history.getList("mode")).containsExactly("apprentice", "live");
      assertThat(history.getString("[0].previous")).isEqualTo("live");
      assertThat(history.getBoolean("[0].demotion")).isTrue();
      assertThat(history.getBoolean("[0].byGuard")).isFalse();
      assertThat(history.getString("[0].changedBy")).isEqualTo("operator");
      assertThat(history.getString("[0].reason")).isEqualTo("test apprentice");
      assertThat(history.getBoolean("[1].demotion")).isFalse();
    } finally {
      given()
          .contentType(ContentType.JSON)
          .body("{\"mode\":\"" + mode + "\",\"reason\":\"restored by a test\"}")
          .put("/api/v1/policies/current/mode")
          .then()
          .statusCode(200);
    }
  }

  @Test
  void deadLetterCountsGrowWithARecordSetAside() {
    String topic = Topics.PRIVACY + ".dlq";
    String path = "find { it.topic == '" + topic + "' }.records";
    long before =
        given()
            .get("/api/v1/reports/dead-letters")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong(path);
    String marker = DeadLetterCheck.marker();
    DeadLetterCheck.sendAndAwait(
        Topics.PRIVACY, marker, DeadLetterCheck.unreadable(marker), marker);
    JsonPath after =
        given().get("/api/v1/reports/dead-letters").then().statusCode(200).extract().jsonPath();
    // other services' consumers of the same topic may set records aside at the same time
    assertThat(after.getLong(path)).isGreaterThanOrEqualTo(before + 1);
    assertThat(after.getList("topic")).hasSize(6).contains(Topics.DECISIONS + ".dlq");
  }
}
