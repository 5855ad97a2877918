package io.nextbest.decision;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class DecisionStreamingTest {

  static String moment(String customer, String id) {
    return ("{\"id\":\"%s\",\"type\":\"eligibility.moment\",\"customerId\":\"%s\","
            + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"cause\":\"%s:1\",\"campaigns\":["
            + "{\"campaignId\":\"newsletter\",\"priority\":10,\"channel\":\"email\"},"
            + "{\"campaignId\":\"welcome\",\"priority\":50,\"channel\":\"web\","
            + "\"placement\":\"home-hero\"}]}")
        .formatted(id, customer, customer);
  }

  @Test
  void momentIsDecidedPublishedAndLoggedOnceEvenWhenRedelivered() {
    String c = "c-" + UUID.randomUUID();
    String momentId = "m:" + c + ":1";
    try (var decisions = KafkaTopics.watch(Topics.DECISIONS)) {
      KafkaTopics.send(Topics.ELIGIBILITY, c, moment(c, momentId));
      KafkaTopics.send(Topics.ELIGIBILITY, c, moment(c, momentId)); // redelivery
      var published = decisions.await(r -> c.equals(r.key()), 2, Duration.ofSeconds(30));
      assertThat(published).hasSize(2);
      assertThat(published)
          .allSatisfy(
              r ->
                  assertThat(r.value())
                      .contains("\"id\":\"d:" + momentId + "\"")
                      .contains("\"campaignId\":\"welcome\"")
                      .contains("\"propensity\":1.0"));
    }
    awaitLogged("d:" + momentId);
    given()
        .get("/api/v1/decisions/{id}", "d:" + momentId)
        .then()
        .statusCode(200)
        .body("campaignId", equalTo("welcome"))
        .body("policyVersion", equalTo("manual-priority-1"))
        .body("candidates.size()", equalTo(2));
    Long rows =
        assertDoesNotThrow(
            () -> VertxContextSupport.subscribeAndAwait(() -> log.countForCustomer(c)));
    assertThat(rows).isEqualTo(1L);
  }

  @Inject DecisionLogRepository log;

  @Test
  void aLoggedDecisionCarriesTheExclusionsOfItsMomentBounded() {
    String c = "c-" + UUID.randomUUID();
    String momentId = "m:" + c + ":3";
    // a customer excluded from more campaigns than a decision keeps, the first for a long reason
    StringBuilder excluded = new StringBuilder();
    excluded.append(
        "{\"campaignId\":\"weekly-promo\",\"code\":\"FREQUENCY_CAP\",\"reason\":\"%s\"}"
            .formatted("email cap reached ".repeat(20)));
    for (int i = 0; i < 70; i++) {
      excluded.append(
          ",{\"campaignId\":\"rule-%d\",\"code\":\"RULE_NOT_MET\",\"reason\":\"rule fails\"}"
              .formatted(i));
    }
    String m = moment(c, momentId);
    KafkaTopics.send(
        Topics.ELIGIBILITY,
        c,
        m.substring(0, m.length() - 1) + ",\"excluded\":[" + excluded + "]}");
    awaitLogged("d:" + momentId);
    given()
        .get("/api/v1/decisions/{id}", "d:" + momentId)
        .then()
        .statusCode(200)
        .body("features.policy.exclusions.size()", equalTo(50))
        .body("features.policy.exclusions[0].campaignId", equalTo("weekly-promo"))
        .body("features.policy.exclusions[0].code", equalTo("FREQUENCY_CAP"))
        .body("features.policy.exclusions[0].reason.length()", equalTo(200))
        .body("features.policy.exclusions[49].campaignId", equalTo("rule-48"));
    given()
        .auth()
        .oauth2(TestJwt.token("marketer"))
        .get("/api/v1/decisions?customerId={c}", c)
        .then()
        .statusCode(200)
        .body("items[0].features.policy.exclusions[0].code", equalTo("FREQUENCY_CAP"));
  }

  @Test
  void anUnreadableDecisionGoesToTheDeadLetterTopicWithItsReasonAndTheBatchIsLogged() {
    String c = "c-" + UUID.randomUUID();
    String momentId = "m:" + c + ":2";
    try (var dead = KafkaTopics.watch(Topics.DECISIONS + ".dlq")) {
      KafkaTopics.send(Topics.DECISIONS, c, "{\"id\":\"d:broken-" + c + "\"}");
      KafkaTopics.send(Topics.ELIGIBILITY, c, moment(c, momentId));
      var parked = dead.await(r -> r.value().contains("d:broken-" + c), 1, Duration.ofSeconds(30));
      assertThat(parked).hasSize(1);
      var headers = parked.get(0).headers();
      assertThat(new String(headers.lastHeader("dead-letter-reason").value()))
          .startsWith("unreadable decision: a decision needs id, customerId");
      assertThat(new String(headers.lastHeader("dead-letter-topic").value()))
          .isEqualTo(Topics.DECISIONS);
    }
    // the valid decision behind it is logged
    awaitLogged("d:" + momentId);
    given().get("/api/v1/decisions/{id}", "d:" + momentId).then().statusCode(200);
  }

  @Test
  void unknownDecisionIsAProblem() {
    given()
        .get("/api/v1/decisions/{id}", "d:none")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  private static void awaitLogged(String decisionId) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end
        && given().get("/api/v1/decisions/{id}", decisionId).statusCode() != 200) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
