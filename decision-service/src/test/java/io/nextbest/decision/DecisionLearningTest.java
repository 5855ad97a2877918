package io.nextbest.decision;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.ProfileSnapshot;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
  @Inject jakarta.enterprise.event.Event<io.nextbest.decision.learning.ModelStore.Changed> changes;
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

  static final Duration DAY = Duration.ofDays(1);

  /** A decision at a past moment (the default test token has the admin role). */
  static JsonPath decideAt(String customer, String candidates, Instant at) {
    return given()
        .contentType(ContentType.JSON)
        .body(
            ("{\"customerId\":\"%s\",\"channel\":\"email\",\"candidates\":%s,\"at\":\"%s\","
                    + "\"context\":{\"page\":\"home\",\"device\":\"mobile\",\"cart\":{\"n\":2}}}")
                .formatted(customer, candidates, at))
        .post("/api/v1/decisions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static void outcomeAt(
      String id,
      String type,
      String customer,
      String decision,
      double value,
      String order,
      Instant at) {
    given()
        .contentType(ContentType.JSON)
        .body(
            ("{\"outcomes\":[{\"id\":\"%s\",\"type\":\"%s\",\"customerId\":\"%s\",\"decisionId\":\"%s\","
                    + "\"value\":%s,\"orderId\":\"%s\",\"occurredAt\":\"%s\"}]}")
                .formatted(id, type, customer, decision, value, order, at))
        .post("/api/v1/outcomes")
        .then()
        .statusCode(200);
  }

  static void purchaseAt(String customer, String event, String order, double amount, Instant at) {
    KafkaTopics.send(
        Topics.EVENTS,
        customer,
        ("{\"id\":\"%s\",\"type\":\"purchase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                + "\"properties\":{\"orderId\":\"%s\",\"amount\":%s,\"currency\":\"EUR\"}}")
            .formatted(event, customer, at, order, amount));
  }

  static Instant daysAgo(int days) {
    return Instant.now().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
  }

  /** A decision at {@code at} on one campaign, once it is in the log; answers its id. */
  static String loggedDecisionAt(String customer, String campaign, Instant at) {
    String id = decideAt(customer, candidates(campaign), at).getString("decisionId");
    await("logged", () -> given().get("/api/v1/decisions/{id}", id).statusCode() == 200);
    return id;
  }

  /** Moves the simulation clock on with another customer's decision at {@code at}. */
  void advanceClock(String customer, Instant at) {
    decideAt(customer, candidates("clock"), at);
    await(
        "the clock's decision logged",
        () -> count("select count(*) from decision_log where customer_id = $1", customer) == 1);
  }

  /** Learns once the reward consumers have caught up with everything sent so far. */
  void learn() {
    Instant sent = Instant.now().plus(config.reward().arrivalMargin());
    await(
        "the reward consumers past what was sent",
        () -> {
          Instant passed = watermark.advance().await().atMost(Duration.ofSeconds(10));
          return passed != null && passed.isAfter(sent);
        });
    learner.learnUntilIdle().await().atMost(Duration.ofSeconds(60));
  }

  static double discounted(double value, Instant decided, Instant at) {
    return value * Math.pow(0.9, Duration.between(decided, at).toSeconds() / 604_800.0);
  }

  @Test
  @Order(1)
  void eachDecisionEarnsItsOwnHorizonAndAnOrderCountsOnce() {
    String c = "c-" + UUID.randomUUID();
    Instant t0 = daysAgo(40);
    JsonPath first = decideAt(c, candidates("spring-sale", "newsletter"), t0);
    String a = first.getString("decisionId");
    assertThat(first.getDouble("propensity")).isBetween(0.0, 1.0).isPositive();
    assertThat(first.getString("policyVersion")).startsWith("thompson-v");
    String b =
        decideAt(c, candidates("spring-sale", "newsletter"), t0.plus(DAY.multipliedBy(2)))
            .getString("decisionId");

    await(
        "both decisions in the log",
        () ->
            given().get("/api/v1/decisions/{id}", b).statusCode() == 200
                && given().get("/api/v1/decisions/{id}", a).statusCode() == 200);
    given()
        .get("/api/v1/decisions/{id}", a)
        .then()
        .body("features.x", hasSize(models.encoder().sharedDimension()))
        .body("features.encoder", startsWith("f2-"))
        .body("features.context.page", equalTo("home"))
        .body("features.ignored", contains("context:cart"))
        .body("features.policy.rule", equalTo("thompson"))
        .body("features.policy.windowDays", equalTo(7))
        .body("features.policy.simulatedBy", notNullValue())
        .body("candidates", hasSize(2));

    // one order reported twice (outcome and purchase event, the event redelivered), and a second
    // order only the later decision's horizon holds
    Instant day3 = t0.plus(DAY.multipliedBy(3));
    Instant day8 = t0.plus(DAY.multipliedBy(8));
    outcomeAt("o-" + c + "-1", "conversion", c, a, 40.0, "ord-1-" + c, day3);
    purchaseAt(c, "ev-" + c + "-1", "ord-1-" + c, 40.0, day3);
    purchaseAt(c, "ev-" + c + "-1", "ord-1-" + c, 40.0, day3);
    purchaseAt(c, "ev-" + c + "-2", "ord-2-" + c, 10.0, day8);
    await(
        "the conversions stored",
        () -> count("select count(*) from outcomes where customer_id = $1", c) == 3);
    // stream time moves on with a later decision of someone else
    advanceClock("clock-" + c, t0.plus(DAY.multipliedBy(20)));
    learn();

    assertThat(decisionReward(a)).isCloseTo(discounted(40, t0, day3), within(1e-6));
    assertThat(decisionReward(b))
        .isCloseTo(
            discounted(40, t0.plus(DAY.multipliedBy(2)), day3)
                + discounted(10, t0.plus(DAY.multipliedBy(2)), day8),
            within(1e-6));
    // learned once: another step changes nothing
    long version = models.state().model().version();
    learn();
    assertThat(decisionReward(a)).isCloseTo(discounted(40, t0, day3), within(1e-6));
    assertThat(models.state().model().version()).isEqualTo(version);

    given()
        .get("/api/v1/policies/current")
        .then()
        .statusCode(200)
        .body("mode", equalTo("live"))
        .body("modelVersion", greaterThan(0))
        .body("encoder", startsWith("f2-"));
    given()
        .get("/api/v1/features")
        .then()
        .statusCode(200)
        .body("names", hasItem("campaign:category-view-share"))
        .body("ignoredKeys.'context:cart'", greaterThan(0));
  }

  @Test
  @Order(1)
  void anUnsubscribeCostsWhatItDestroysAndOnlyItsOwnDecisionPaysIt() {
    String c = "u-" + UUID.randomUUID();
    Instant t0 = daysAgo(50);
    String a = decideAt(c, candidates("loud"), t0).getString("decisionId");
    String b = decideAt(c, candidates("loud"), t0.plusSeconds(3600)).getString("decisionId");
    await(
        "logged", () -> count("select count(*) from decision_log where customer_id = $1", c) == 2);
    outcomeAt("un-" + c, "unsubscribe", c, a, 0, "none", t0.plusSeconds(60));
    await("stored", () -> count("select count(*) from outcomes where customer_id = $1", c) == 1);
    advanceClock("clock-" + c, t0.plus(DAY.multipliedBy(20)));
    learn();
    // no CLV prediction for this customer: the configured cost
    assertThat(decisionReward(a)).isEqualTo(-config.rewards().unsubscribeCost());
    assertThat(decisionReward(b)).isZero();
  }

  @Test
  @Order(1)
  void anUnsubscribeCostsTheChannelsShareOfTheCustomersPredictedValue() {
    String c = "uv-" + UUID.randomUUID();
    Instant t0 = daysAgo(50);
    ProfileSnapshot profile =
        new ProfileSnapshot(
            ProfileSnapshot.idOf(c, 1),
            ProfileSnapshot.TYPE,
            c,
            t0,
            1,
            Map.of(),
            Map.of(),
            Map.of("basis", "bg-nbd+gamma-gamma", "clv12m", 200.0),
            Map.of(),
            List.of(),
            t0);
    redis
        .value(String.class, String.class)
        .set(ProfileLookup.PREFIX + c, json.write(profile))
        .await()
        .indefinitely();
    String a = decideAt(c, candidates("loud"), t0).getString("decisionId");
    await(
        "logged", () -> count("select count(*) from decision_log where customer_id = $1", c) == 1);
    outcomeAt("uv-" + c, "unsubscribe", c, a, 0, "none", t0.plusSeconds(60));
    await("stored", () -> count("select count(*) from outcomes where customer_id = $1", c) == 1);
    advanceClock("clock-" + c, t0.plus(DAY.multipliedBy(20)));
    learn();
    // far fewer than 500 email sends learned: the prior share of the predicted 12-month value
    assertThat(decisionReward(a))
        .isCloseTo(-200.0 * config.rewards().unsubscribeShare(), within(1e-6));
  }

  @Test
  @Order(1)
  void aMomentOtherThanNowNeedsTheSimulationRole() {
    String body =
        "{\"customerId\":\"sim-1\",\"channel\":\"email\",\"candidates\":%s,\"at\":\"%s\"}"
            .formatted(candidates("x"), Instant.now().minus(Duration.ofDays(3)));
    given()
        .auth()
        .none()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/decisions")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/decisions")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(TestJwt.token("simulation"))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/decisions")
        .then()
        .statusCode(200);
    // now (within the clock's skew) needs no token
    given()
        .auth()
        .none()
        .contentType(ContentType.JSON)
        .body(
            "{\"customerId\":\"sim-1\",\"channel\":\"email\",\"candidates\":%s,\"at\":\"%s\"}"
                .formatted(candidates("x"), Instant.now()))
        .post("/api/v1/decisions")
        .then()
        .statusCode(200);
  }

  @Test
  @Order(1)
  void outcomesAreValidatedWhereTheyEnter() {
    String c = "v-" + UUID.randomUUID();
    String id = decide(c, candidates("x")).getString("decisionId");
    await("logged", () -> given().get("/api/v1/decisions/{id}", id).statusCode() == 200);
    for (String value : new String[] {"1e309", "-1", "1.8e308"}) {
      given()
          .contentType(ContentType.JSON)
          .body(
              "{\"outcomes\":[{\"id\":\"v-%s\",\"type\":\"conversion\",\"customerId\":\"%s\",\"decisionId\":\"%s\",\"value\":%s}]}"
                  .formatted(c, c, id, value))
          .post("/api/v1/outcomes")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    // another customer's decision
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"outcomes\":[{\"id\":\"w-%s\",\"type\":\"conversion\",\"customerId\":\"intruder\",\"decisionId\":\"%s\",\"value\":5}]}"
                .formatted(c, id))
        .post("/api/v1/outcomes")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("outcomes[0].decisionId"));
    // the next answer is still finite
    decide(c, candidates("x")).getDouble("expectedUplift.sd");
  }

  @Inject io.nextbest.decision.learning.Learner learner;
  @Inject io.nextbest.decision.learning.ConsumerWatermark watermark;
  @Inject io.smallrye.reactive.messaging.kafka.KafkaClientService kafka;
  @Inject io.nextbest.decision.learning.ModelStore models;
  @Inject DecisionConfig config;
  @Inject io.quarkus.redis.datasource.ReactiveRedisDataSource redis;
  @Inject io.nextbest.common.messaging.JsonCodec json;

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
    var replica =
        new io.nextbest.decision.learning.ModelStore(
            new io.nextbest.decision.repository.PolicyStateRepository(pool),
            new io.nextbest.decision.repository.ArmModelRepository(pool),
            config,
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            changes);
    replica.reload().await().atMost(Duration.ofSeconds(10));
    assertThat(replica.state().model().version()).isEqualTo(models.state().model().version());
    assertThat(replica.state().model().stats()).isEqualTo(models.state().model().stats());
    assertThat(replica.state().model().stats()).isNotEmpty();
  }

  @Test
  @Order(3)
  void aPurchaseTheConsumerHasNotReachedYetHoldsItsDecisionBackAndSimulationsKeepTheirClocks() {
    String c = "lag-" + UUID.randomUUID();
    // later than every other simulated decision of this suite: stream time has not passed its
    // horizon before this test moves it
    Instant t0 = daysAgo(8);
    String id = loggedDecisionAt(c, "held-back", t0);
    // another simulation, near today, moves its own stream clock and never this one's
    String other = "near-" + c;
    given()
        .auth()
        .oauth2(TestJwt.tokenFor("other-simulation-" + c, "simulation"))
        .contentType(ContentType.JSON)
        .body(
            "{\"customerId\":\"%s\",\"channel\":\"email\",\"candidates\":%s,\"at\":\"%s\"}"
                .formatted(other, candidates("x"), Instant.now().minus(Duration.ofHours(1))))
        .post("/api/v1/decisions")
        .then()
        .statusCode(200);
    await(
        "the other simulation's decision logged",
        () -> count("select count(*) from decision_log where customer_id = $1", other) == 1);
    var purchases = kafka.getConsumer("purchases");
    purchases.pause().await().atMost(Duration.ofSeconds(10));
    try {
      // the purchase is on its topic, the consumer has not reached it, and stream time moves on
      purchaseAt(c, "ev-" + c, "ord-" + c, 25.0, t0.plus(DAY));
      advanceClock("clock-" + c, t0.plus(DAY.multipliedBy(7)).plus(Duration.ofHours(12)));
      learner.learnUntilIdle().await().atMost(Duration.ofSeconds(60));
      assertThat(count("select count(*) from decision_log where learned and customer_id = $1", c))
          .isZero();
    } finally {
      purchases.resume().await().atMost(Duration.ofSeconds(10));
    }
    await("stored", () -> count("select count(*) from outcomes where customer_id = $1", c) == 1);
    learn();
    assertThat(decisionReward(id)).isCloseTo(discounted(25, t0, t0.plus(DAY)), within(1e-6));
  }

  @Test
  @Order(3)
  void conversionsOutsideTheHorizonAreKeptButNotLearned() {
    String c = "c-" + UUID.randomUUID();
    Instant t0 = daysAgo(45);
    String id = loggedDecisionAt(c, "late-one", t0);
    outcomeAt("early-" + c, "conversion", c, id, 9, "e-" + c, t0.minus(DAY));
    outcomeAt("late-" + c, "conversion", c, id, 9, "l-" + c, t0.plus(DAY.multipliedBy(8)));
    await("stored", () -> count("select count(*) from outcomes where customer_id = $1", c) == 2);
    advanceClock("clock-" + c, t0.plus(DAY.multipliedBy(20)));
    learn();
    assertThat(decisionReward(id)).isZero();
    assertThat(count("select count(*) from outcomes where customer_id = $1", c)).isEqualTo(2);
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
        "conversions stored and the global-control decision logged",
        () ->
            count("select count(*) from outcomes where customer_id like $1", "r-" + tag + "-%") == 6
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
    // pages of four: all of them, or exactly the latest seven
    int all =
        given()
            .contentType(ContentType.JSON)
            .body("{\"policy\":\"model\"}")
            .post("/api/v1/evaluations")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getInt("estimates.n");
    assertThat(all).as("more than one page").isGreaterThan(7);
    given()
        .contentType(ContentType.JSON)
        .body("{\"policy\":\"model\",\"limit\":7}")
        .post("/api/v1/evaluations")
        .then()
        .statusCode(200)
        .body("estimates.n", equalTo(7));
  }

  @Test
  @Order(8)
  void apprenticeModeDecidesByManualPriorityAndScoresTheModelInShadow() {
    try {
      apprenticeRun();
    } finally {
      given()
          .contentType(ContentType.JSON)
          .body("{\"mode\":\"live\"}")
          .put("/api/v1/policies/current/mode")
          .then()
          .statusCode(200)
          .body("mode", equalTo("live"));
    }
  }

  private void apprenticeRun() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"mode\":\"apprentice\",\"reason\":\"test\"}")
        .put("/api/v1/policies/current/mode")
        .then()
        .statusCode(200)
        .body("mode", equalTo("apprentice"));
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Instant t0 = daysAgo(30);
    for (int i = 0; i < 25; i++) {
      String c = "a-" + tag + "-" + i;
      JsonPath d =
          decideAt(
              c,
              "[{\"campaignId\":\"vip\",\"priority\":10,\"channel\":\"email\"},"
                  + "{\"campaignId\":\"auto-offer\",\"channel\":\"email\"}]",
              t0.plusSeconds(i));
      assertThat(d.getString("policyVersion")).startsWith("apprentice-v");
      assertThat(d.getString("shadowCampaignId")).isNotNull();
      if (i % 3 == 0) {
        outcomeAt(
            "ap-" + c, "conversion", c, d.getString("decisionId"), 5.0, "ap-" + c, t0.plus(DAY));
      }
    }
    await(
        "apprentice decisions logged",
        () ->
            count("select count(*) from decision_log where customer_id like $1", "a-" + tag + "-%")
                    == 25
                && count(
                        "select count(*) from outcomes where customer_id like $1",
                        "a-" + tag + "-%")
                    == 9);
    advanceClock("clock-" + tag, t0.plus(DAY.multipliedBy(20)));
    learn();
    given()
        .get("/api/v1/policies/current")
        .then()
        .body("evidence.scorecard.decisions", greaterThan(24))
        .body("evidence.scorecard.matchRate", notNullValue())
        .body("evidence.scorecard.model.value", notNullValue())
        .body("evidence.scorecard.manual.value", notNullValue())
        .body("evidence.scorecard.difference.se", notNullValue())
        .body("evidence.ready", notNullValue())
        .body("evidence.reason", notNullValue());
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
