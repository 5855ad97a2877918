package io.nextbest.decision;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

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
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Real-time decisions, outcomes, learning, erasure, reports and evaluation on real PG + Kafka. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DecisionLearningTest {
  @Inject Pool pool;

  static String candidates(String... campaigns) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < campaigns.length; i++) {
      String[] parts = campaigns[i].split(":");
      boolean control = parts.length > 1 && parts[1].equals("control");
      String priority = parts.length > 2 ? ",\"priority\":" + parts[2] : "";
      b.append(i == 0 ? "" : ",")
          .append("{\"campaignId\":\"")
          .append(parts[0])
          .append("\",\"channel\":\"email\"")
          .append(priority)
          .append(",\"control\":")
          .append(control)
          .append('}');
    }
    return b.append(']').toString();
  }

  static JsonPath decide(String customer, String candidates) {
    return given()
        .contentType(ContentType.JSON)
        .body(
            "{\"customerId\":\"%s\",\"channel\":\"email\",\"candidates\":%s,\"context\":{\"page\":\"home\"}}"
                .formatted(customer, candidates))
        .post("/api/v1/decisions")
        .then()
        .statusCode(200)
        .body("decisionId", startsWith("d:"))
        .body("policyVersion", notNullValue())
        .body("expectedUplift.sd", notNullValue())
        .extract()
        .jsonPath();
  }

  static void outcome(String id, String type, String customer, String decision, Double value) {
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"outcomes\":[{\"id\":\"%s\",\"type\":\"%s\",\"customerId\":\"%s\",\"decisionId\":\"%s\"%s}]}"
                .formatted(
                    id, type, customer, decision, value == null ? "" : ",\"value\":" + value))
        .post("/api/v1/outcomes")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(1));
  }

  double decisionReward(String decisionId) {
    var rows =
        pool.preparedQuery("select reward from decision_log where decision_id = $1")
            .execute(Tuple.of(decisionId))
            .await()
            .indefinitely();
    return rows.size() == 0 ? Double.NaN : rows.iterator().next().getDouble(0);
  }

  long count(String sql, String customer) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(customer))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  @Order(1)
  void decidesLogsLearnsOnceAndAttributesPurchases() {
    String c = "c-" + UUID.randomUUID();
    JsonPath d = decide(c, candidates("spring-sale", "newsletter"));
    String id = d.getString("decisionId");
    assertThat(d.getDouble("propensity")).isBetween(0.0, 1.0).isPositive();
    assertThat(d.getString("policyVersion")).startsWith("thompson-v");
    assertThat(d.getString("rule")).isEqualTo("thompson");

    await(
        "the decision in the log",
        () -> given().get("/api/v1/decisions/{id}", id).statusCode() == 200);
    given()
        .get("/api/v1/decisions/{id}", id)
        .then()
        .body("features.x", hasSize(18))
        .body("features.encoder", equalTo("f1"))
        .body("features.context.page", equalTo("home"))
        .body("features.policy.rule", equalTo("thompson"))
        .body("features.policy.probabilities." + "size()", equalTo(1))
        .body("candidates", hasSize(2));

    // a conversion, its duplicate, and a click: the conversion counts once
    outcome("o-" + c + "-1", "conversion", c, id, 25.0);
    outcome("o-" + c + "-1", "conversion", c, id, 25.0);
    outcome("o-" + c + "-2", "click", c, id, null);
    await("the conversion learned", () -> decisionReward(id) == 25.0);

    // a purchase event of the customer is attributed to the decision by the learner
    String purchase =
        ("{\"id\":\"ev-%s\",\"type\":\"purchase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                + "\"properties\":{\"orderId\":\"o1\",\"amount\":40.0,\"currency\":\"EUR\"}}")
            .formatted(c, c, Instant.now());
    KafkaTopics.send(Topics.EVENTS, c, purchase);
    KafkaTopics.send(Topics.EVENTS, c, purchase); // redelivered
    await("the purchase attributed", () -> decisionReward(id) == 65.0);

    given()
        .get("/api/v1/policies/current")
        .then()
        .statusCode(200)
        .body("mode", equalTo("live"))
        .body("modelVersion", greaterThan(0))
        .body("features", hasSize(18));
  }

  @Inject io.nextbest.decision.learning.Learner learner;
  @Inject io.nextbest.decision.learning.ModelStore models;
  @Inject DecisionConfig config;

  @Test
  @Order(2)
  void aSecondReplicaOrARestartContinuesFromTheSameModel() {
    // replicas take turns: while one learning step holds the lock, another one skips
    var steps =
        io.smallrye.mutiny.Uni.join()
            .all(learner.learnOnce(), learner.learnOnce())
            .andFailFast()
            .await()
            .atMost(Duration.ofSeconds(30));
    assertThat(steps).anySatisfy(s -> assertThat(s.modelVersion()).isGreaterThanOrEqualTo(0));
    models.reload().await().atMost(Duration.ofSeconds(10));
    var replica = new io.nextbest.decision.learning.ModelStore(pool, config);
    replica.reload().await().atMost(Duration.ofSeconds(10));
    assertThat(replica.state().model().version()).isEqualTo(models.state().model().version());
    assertThat(replica.state().model().stats()).isEqualTo(models.state().model().stats());
    assertThat(replica.state().model().stats()).isNotEmpty();
  }

  @Test
  @Order(3)
  void outcomesOutsideTheWindowAreKeptButNotLearned() {
    String c = "c-" + UUID.randomUUID();
    String id = decide(c, candidates("late-one")).getString("decisionId");
    await("logged", () -> given().get("/api/v1/decisions/{id}", id).statusCode() == 200);
    given()
        .contentType(ContentType.JSON)
        .body(
            ("{\"outcomes\":[{\"id\":\"late-%s\",\"type\":\"conversion\",\"customerId\":\"%s\","
                    + "\"decisionId\":\"%s\",\"value\":9,\"occurredAt\":\"%s\"}]}")
                .formatted(c, c, id, Instant.now().minus(Duration.ofDays(2))))
        .post("/api/v1/outcomes")
        .then()
        .statusCode(200);
    await(
        "the early outcome set aside",
        () ->
            count("select count(*) from outcomes where customer_id = $1 and state = 'late'", c)
                == 1);
    assertThat(decisionReward(id)).isZero();
  }

  @Test
  @Order(4)
  void badInputIsAProblemNeverA500() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":\"x\"}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("placement"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    // each candidate's fields are checked, with the path of the one at fault
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"customerId\":\"x\",\"candidates\":[{\"campaignId\":\"a\",\"channel\":\"email\"},"
                + "{\"campaignId\":\" \",\"channel\":\"email\"}]}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("candidates[1].campaignId"))
        .body("errors[0].message", equalTo("must not be blank"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":\"" + "x".repeat(201) + "\",\"channel\":\"email\"}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .body("errors.field", contains("customerId"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":\"x\",\"candidates\":[null]}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("candidates[0]"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":\"x\",\"channel\":\"email\",\"candidateCampaignIds\":[\"\"]}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .body("errors.field", contains("candidateCampaignIds"));
    given()
        .contentType(ContentType.JSON)
        .post("/api/v1/decisions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("request"));
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"outcomes\":[{\"id\":\"o\",\"type\":\"teleport\",\"customerId\":\"c\",\"decisionId\":\"d\"}]}")
        .post("/api/v1/outcomes")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("outcomes[0].type"));
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"outcomes\":[{\"id\":\"o\",\"type\":\"conversion\",\"customerId\":\"c\",\"decisionId\":\"d\",\"value\":-5}]}")
        .post("/api/v1/outcomes")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .contentType(ContentType.JSON)
        .body("{\"policy\":\"oracle\"}")
        .post("/api/v1/evaluations")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .get("/api/v1/reports/uplift?since=yesterday")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  @Order(5)
  void eligibilityDownIsA503() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"customerId\":\"c-503\",\"placement\":\"home-hero\"}")
        .post("/api/v1/decisions")
        .then()
        .statusCode(503)
        .contentType("application/problem+json");
  }

  @Test
  @Order(6)
  void upliftReportComparesTreatedWithControlAndTheProgrammeWithGlobalControl() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String campaign = "report-" + tag;
    for (int i = 0; i < 12; i++) {
      String c = "r-" + tag + "-" + i;
      boolean control = i % 4 == 0;
      String id =
          decide(c, candidates(campaign + (control ? ":control:5" : ":treat:5")))
              .getString("decisionId");
      if (!control && i % 2 == 1) {
        outcome("conv-" + c, "conversion", c, id, 10.0);
      }
    }
    // a global-control moment arrives on the stream
    String gc = "gc-" + tag;
    KafkaTopics.send(
        Topics.ELIGIBILITY,
        gc,
        ("{\"id\":\"m:%s\",\"type\":\"eligibility.moment\",\"customerId\":\"%s\","
                + "\"occurredAt\":\"%s\",\"cause\":\"e1\",\"globalControl\":true,\"campaigns\":"
                + "[{\"campaignId\":\"%s\",\"channel\":null,\"control\":true}]}")
            .formatted(gc, gc, Instant.now(), campaign));
    await(
        "conversions learned and the global-control decision logged",
        () ->
            count(
                        "select count(*) from outcomes where customer_id like $1 and state = 'learned'",
                        "r-" + tag + "-%")
                    == 6
                && given().get("/api/v1/decisions/{id}", "d:m:" + gc).statusCode() == 200);
    given()
        .get("/api/v1/decisions/{id}", "d:m:" + gc)
        .then()
        .body("policyVersion", equalTo("global-control"))
        .body("control", equalTo(true))
        .body("campaignId", equalTo(null));

    JsonPath report =
        given().get("/api/v1/reports/uplift").then().statusCode(200).extract().jsonPath();
    // reports are for marketers: no token is a 401, another service's token a 403
    given().auth().none().get("/api/v1/reports/uplift").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .get("/api/v1/reports/uplift")
        .then()
        .statusCode(403);
    String row = "campaigns.find { it.campaignId == '" + campaign + "' }";
    // a manual-priority campaign is always allocated; its control group is held out
    assertThat(report.getInt(row + ".control.decisions")).isEqualTo(3);
    assertThat(report.getInt(row + ".treated.decisions")).isEqualTo(9);
    assertThat(report.getDouble(row + ".treated.conversionRate.value")).isGreaterThan(0);
    assertThat(report.getDouble(row + ".control.conversionRate.value")).isZero();
    assertThat(report.getDouble(row + ".uplift.conversionRate.low"))
        .isLessThan(report.getDouble(row + ".uplift.conversionRate.value"));
    assertThat(report.getDouble(row + ".sequential.alwaysValidP")).isBetween(0.0, 1.0);
    assertThat(report.getInt("programme.control.decisions")).isGreaterThanOrEqualTo(1);
    assertThat(report.getInt("programme.treated.decisions")).isGreaterThanOrEqualTo(12);
    assertThat(report.getBoolean("programme.sampleRatio.alert")).isFalse();
  }

  @Test
  @Order(7)
  void offPolicyEvaluationOfCandidatePolicies() {
    for (String policy : new String[] {"model", "greedy", "manual", "random"}) {
      given()
          .contentType(ContentType.JSON)
          .body("{\"policy\":\"%s\",\"epsilon\":0.1}".formatted(policy))
          .post("/api/v1/evaluations")
          .then()
          .statusCode(200)
          .body("estimates.n", greaterThan(5))
          .body("estimates.ips.se", notNullValue())
          .body("estimates.snips.low", notNullValue())
          .body("estimates.doublyRobust.high", notNullValue());
    }
    // a cap of zero sends means the candidate always chooses none
    JsonPath capped =
        given()
            .contentType(ContentType.JSON)
            .body("{\"policy\":\"model\",\"cap\":{\"max\":0,\"days\":7}}")
            .post("/api/v1/evaluations")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(capped.getDouble("estimates.matchRate")).isLessThan(1.0);
  }

  @Test
  @Order(8)
  void apprenticeModeDecidesByManualPriorityAndScoresTheModelInShadow() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"mode\":\"apprentice\",\"reason\":\"test\"}")
        .put("/api/v1/policies/current/mode")
        .then()
        .statusCode(200)
        .body("mode", equalTo("apprentice"));
    String tag = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 25; i++) {
      String c = "a-" + tag + "-" + i;
      JsonPath d =
          decide(
              c,
              "[{\"campaignId\":\"vip\",\"priority\":10,\"channel\":\"email\"},"
                  + "{\"campaignId\":\"auto-offer\",\"channel\":\"email\"}]");
      assertThat(d.getString("policyVersion")).startsWith("apprentice-v");
      assertThat(d.getString("shadowCampaignId")).isNotNull();
      if (i % 3 == 0) {
        outcome("ap-" + c, "conversion", c, d.getString("decisionId"), 5.0);
      }
    }
    await(
        "apprentice decisions learned",
        () ->
            given()
                    .get("/api/v1/policies/current")
                    .jsonPath()
                    .getInt("apprentice.scorecard.decisions")
                >= 25);
    given()
        .get("/api/v1/policies/current")
        .then()
        .body("apprentice.scorecard.matchRate", notNullValue())
        .body("apprentice.scorecard.model.snips.value", notNullValue())
        .body("apprentice.scorecard.manual.snips.value", notNullValue())
        .body("apprentice.reason", notNullValue());
    given()
        .contentType(ContentType.JSON)
        .body("{\"mode\":\"tyrant\"}")
        .put("/api/v1/policies/current/mode")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body("{\"mode\":\"live\"}")
        .put("/api/v1/policies/current/mode")
        .then()
        .statusCode(200)
        .body("mode", equalTo("live"));
  }

  @Test
  @Order(9)
  void eraseRemovesThePersonFromDecisionsAndOutcomes() {
    String c = "erase-" + UUID.randomUUID();
    String id = decide(c, candidates("x")).getString("decisionId");
    outcome("eo-" + c, "conversion", c, id, 3.0);
    await(
        "logged",
        () ->
            count("select count(*) from decision_log where customer_id = $1", c) == 1
                && count("select count(*) from outcomes where customer_id = $1", c) == 1);
    KafkaTopics.send(
        Topics.PRIVACY,
        c,
        "{\"id\":\"erase-%s\",\"type\":\"privacy.erase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\"}"
            .formatted(c, c, Instant.now()));
    await(
        "erased",
        () ->
            count("select count(*) from decision_log where customer_id = $1", c) == 0
                && count("select count(*) from outcomes where customer_id = $1", c) == 0);
    // decisions and outcomes of the person still in flight are not logged again; another's are
    String late = decide(c, candidates("x")).getString("decisionId");
    outcome("late-" + c, "conversion", c, late, 3.0);
    String other = "after-erase-" + UUID.randomUUID();
    String marker = decide(other, candidates("x")).getString("decisionId");
    outcome("eo-" + other, "conversion", other, marker, 3.0);
    await(
        "another person's decision and outcome logged",
        () ->
            count("select count(*) from decision_log where customer_id = $1", other) == 1
                && count("select count(*) from outcomes where customer_id = $1", other) == 1);
    assertThat(count("select count(*) from decision_log where customer_id = $1", c)).isZero();
    assertThat(count("select count(*) from outcomes where customer_id = $1", c)).isZero();
  }
}
