package io.nextbest.decision.learning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.decision.domain.ValueSums;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Promotion judges the model of the last {@code window-days} stream days, not the untrained model
 * of apprentice mode's first days, from per-day running sums that never outgrow the window; live
 * mode's learning phase is judged and ended the same way.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class PromotionWindowTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long FIRST_DAY = 20_000;
  private static final int DAYS = 40;
  private static final int UNTRAINED_DAYS = 26;
  private static final int PER_DAY = 1_000;

  @Inject Pool pool;
  @Inject PromotionSums sums;
  @Inject Promotion promotion;
  @Inject ModelStore models;
  @Inject io.nextbest.decision.repository.ArmModelRepository armModels;

  @AfterEach
  void clear() {
    sums.reset(PromotionSums.APPRENTICE).await().atMost(WAIT);
  }

  @Test
  void aModelThatLearnedIsPromotedOnItsRecentDaysAlthoughItsFirstDaysDragTheTotalBelowManual() {
    sums.reset(PromotionSums.APPRENTICE).await().atMost(WAIT);
    for (int d = 0; d < DAYS; d++) {
      // the untrained model loses 2.0 per decision to manual priority, the trained one gains 1.0
      double diff = d < UNTRAINED_DAYS ? -2.0 : 1.0;
      day(PromotionSums.APPRENTICE + "@" + (FIRST_DAY + d), diff);
      day(PromotionSums.APPRENTICE, diff);
    }
    var all = sums.read(PromotionSums.APPRENTICE).await().atMost(WAIT);
    assertThat(all.get(PromotionSums.DIFF).n()).isEqualTo((long) DAYS * PER_DAY);
    assertThat(promotion.promotion(Promotion.Scorecard.of(all)).ready()).isFalse();

    var recent = sums.readRecent(PromotionSums.APPRENTICE, 14).await().atMost(WAIT);
    assertThat(recent.get(PromotionSums.DIFF).n()).isEqualTo(14L * PER_DAY);
    assertThat(recent.get(PromotionSums.DIFF).doublyRobust().value())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    var verdict = promotion.promotion(Promotion.Scorecard.of(recent));
    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.reason()).startsWith("promoted: 14000 closed decisions");

    // 0 days: every decision since apprentice mode began
    assertThat(sums.readRecent(PromotionSums.APPRENTICE, 0).await().atMost(WAIT)).isEqualTo(all);

    // the fewest latest days that hold the decisions needed: the trained model's 14 days
    var latest = sums.readLatest(PromotionSums.APPRENTICE, 28, 14_000).await().atMost(WAIT);
    assertThat(latest).isEqualTo(recent);
    assertThat(sums.readLatest(PromotionSums.APPRENTICE, 28, 13_001).await().atMost(WAIT))
        .isEqualTo(recent);
    assertThat(
            sums.readLatest(PromotionSums.APPRENTICE, 28, 14_001)
                .await()
                .atMost(WAIT)
                .get(PromotionSums.DIFF)
                .n())
        .isEqualTo(15L * PER_DAY);
    // more than the window holds: the whole window
    assertThat(
            sums.readLatest(PromotionSums.APPRENTICE, 28, 1_000_000)
                .await()
                .atMost(WAIT)
                .get(PromotionSums.DIFF)
                .n())
        .isEqualTo(28L * PER_DAY);
  }

  @Test
  void dayBucketsOlderThanTheWindowAreDroppedAndAResetDropsThemAll() {
    sums.reset(PromotionSums.APPRENTICE).await().atMost(WAIT);
    for (int d = 0; d < DAYS; d++) {
      day(PromotionSums.APPRENTICE + "@" + (FIRST_DAY + d), 0.5);
    }
    pool.withTransaction(conn -> sums.prune(conn)).await().atMost(WAIT);
    // window-days is 28: the latest day and the 27 before it stay, four policies each
    assertThat(dayRows()).isEqualTo(28 * 4);
    assertThat(days()).containsExactly(FIRST_DAY + DAYS - 28, FIRST_DAY + DAYS - 1);

    sums.reset(PromotionSums.APPRENTICE).await().atMost(WAIT);
    assertThat(dayRows()).isZero();
  }

  @Test
  void liveModesLearningPhaseDecidesAsTheApprenticeAndEndsOnThePromotionEvidence() {
    try {
      // live by default means fully live
      mode("{\"mode\":\"live\"}").body("mode", equalTo("live")).body("learning", equalTo(false));
      mode("{\"mode\":\"apprentice\"}").body("mode", equalTo("apprentice"));
      day(PromotionSums.APPRENTICE + "@" + FIRST_DAY, 1.0);
      mode("{\"mode\":\"live\",\"learningPhase\":true,\"reason\":\"test\"}")
          .body("mode", equalTo("live"))
          .body("learning", equalTo(true))
          .body("version", startsWith("learning-v"))
          // the learning phase continues the apprentice evidence
          .body("evidence.scorecard.decisions", equalTo(PER_DAY));

      JsonPath d =
          given()
              .contentType(ContentType.JSON)
              .body(
                  "{\"customerId\":\"learning-phase-1\",\"channel\":\"email\","
                      + "\"candidates\":[{\"campaignId\":\"vip\",\"priority\":10,\"channel\":\"email\"},"
                      + "{\"campaignId\":\"auto-offer\",\"channel\":\"email\"}]}")
              .post("/api/v1/decisions")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(d.getString("rule")).isEqualTo("learning");
      assertThat(d.getString("policyVersion")).startsWith("learning-v");
      assertThat(d.getString("shadowCampaignId")).isNotNull();

      for (int i = 1; i < 14; i++) {
        day(PromotionSums.APPRENTICE + "@" + (FIRST_DAY + i), 1.0);
      }
      promotion.checkNow().await().atMost(WAIT);
      given()
          .get("/api/v1/policies/current")
          .then()
          .body("mode", equalTo("live"))
          .body("learning", equalTo(false))
          .body("version", startsWith("thompson-v"))
          // the tests need 20 decisions: the latest day holds them and is judged alone
          .body("modeReason", startsWith("promoted: 1000 closed decisions"));
      given()
          .get("/api/v1/policies/current/history?limit=2")
          .then()
          .body("[0].changedBy", equalTo(Promotion.PROMOTION))
          .body("[0].learning", equalTo(false))
          .body("[1].changedBy", equalTo(Promotion.OPERATOR))
          .body("[1].learning", equalTo(true));
    } finally {
      mode("{\"mode\":\"live\",\"learningPhase\":false}").body("learning", equalTo(false));
    }
  }

  private static ValidatableResponse mode(String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/v1/policies/current/mode")
        .then()
        .statusCode(200);
  }

  @Test
  void aDifferenceTooSmallForTheLatestDaysIsJudgedOnTheWholeWindow() {
    try {
      mode("{\"mode\":\"apprentice\"}").body("mode", equalTo("apprentice"));
      for (int d = 0; d < DAYS; d++) {
        day(PromotionSums.APPRENTICE + "@" + (FIRST_DAY + d), 0.3);
      }
      // the latest day alone (1,000 decisions, the 20 the tests need): 0.3 ± 0.32, not enough;
      // the window's 28 days: 0.3 ± 0.06
      given()
          .get("/api/v1/policies/current")
          .then()
          .statusCode(200)
          .body("evidence.ready", equalTo(true))
          .body("evidence.scorecard.decisions", equalTo(28 * PER_DAY));
      var latestDay = sums.readLatest(PromotionSums.APPRENTICE, 28, 20).await().atMost(WAIT);
      assertThat(promotion.promotion(Promotion.Scorecard.of(latestDay)).ready()).isFalse();
    } finally {
      mode("{\"mode\":\"live\",\"learningPhase\":false}").body("learning", equalTo(false));
    }
  }

  @Test
  void theCanaryShareGrowsWithTheProbabilityThatTheModelBeatsManualPriority() {
    var flat = io.nextbest.models.policy.Stats.Interval.of(0, 0.3);
    assertThat(Promotion.canaryShare(flat, 0.25, 0.75)).isEqualTo(0.25);
    assertThat(
            Promotion.canaryShare(io.nextbest.models.policy.Stats.Interval.of(-1, 0.3), 0.25, 0.75))
        .isEqualTo(0.25);
    // 0.3 ± 0.316: P(model beats manual) 0.83, three quarters of the way to 0.95
    assertThat(
            Promotion.canaryShare(
                io.nextbest.models.policy.Stats.Interval.of(0.3, 0.316), 0.25, 0.75))
        .isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(
            Promotion.canaryShare(io.nextbest.models.policy.Stats.Interval.of(1, 0.3), 0.25, 0.75))
        .isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
    // a maximum at or below the start keeps the share fixed; no estimate keeps the start
    assertThat(
            Promotion.canaryShare(io.nextbest.models.policy.Stats.Interval.of(1, 0.3), 0.25, 0.1))
        .isEqualTo(0.25);
    assertThat(
            Promotion.canaryShare(
                io.nextbest.models.policy.Stats.Interval.of(Double.NaN, 0.3), 0.25, 0.75))
        .isEqualTo(0.25);
  }

  @Test
  void theCheckMovesTheCanaryShareInForceAndAChangeOfModeStartsItAgain() {
    try {
      mode("{\"mode\":\"apprentice\"}").body("modelShare", equalTo(0.25f));
      // one day of 0.3 per decision ± 0.32: likely better, not proven
      day(PromotionSums.APPRENTICE + "@" + FIRST_DAY, 0.3);
      promotion.checkNow().await().atMost(WAIT);
      given()
          .get("/api/v1/policies/current")
          .then()
          .body("mode", equalTo("apprentice"))
          .body("evidence.ready", equalTo(false))
          .body("evidence.modelShare", equalTo(0.6f))
          .body("modelShare", equalTo(0.6f));
      assertThat(models.state().modelShare())
          .isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));

      // short of the decisions promotion needs, the evidence so far still sets the share
      var scorecard = promotion.verdict().await().atMost(WAIT).scorecard();
      var shortOf = promotion.promotion(scorecard, 1_000_000, 50_000);
      assertThat(shortOf.ready()).isFalse();
      assertThat(shortOf.reason())
          .contains("closed decisions needed")
          .endsWith("canary share 0.60");
      assertThat(shortOf.modelShare()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));

      mode("{\"mode\":\"apprentice\",\"reason\":\"again\"}").body("modelShare", equalTo(0.25f));
    } finally {
      mode("{\"mode\":\"live\",\"learningPhase\":false}").body("learning", equalTo(false));
    }
  }

  @Test
  void theDecisionsNeededGrowWithTheActionsInUseNotWithRetiredOnes() {
    // the simulated shop: 73 features, five campaigns and none
    assertThat(Promotion.decisionsNeeded(1_000, 30, 6 * 73)).isEqualTo(13_140);
    assertThat(Promotion.decisionsNeeded(1_000, 30, 73)).isEqualTo(2_190);
    assertThat(Promotion.decisionsNeeded(1_000, 30, 10)).isEqualTo(1_000);
    assertThat(Promotion.decisionsNeeded(1_000, 0, 6 * 73)).isEqualTo(1_000);

    String tag = Long.toString(System.nanoTime());
    String encoder = "test-actions-" + tag;
    io.nextbest.models.policy.LinearArm learned = new io.nextbest.models.policy.LinearArm(3);
    for (int i = 0; i < 5; i++) {
      learned.update(new double[] {1, i, 0}, i);
    }
    io.nextbest.models.policy.LinearArm twice = new io.nextbest.models.policy.LinearArm(3);
    twice.update(new double[] {1, 0, 0}, 1);
    twice.update(new double[] {1, 1, 0}, 2);
    for (String[] arm :
        new String[][] {
          {"retired-" + tag, "60", "learned"},
          {"welcome-" + tag, "1", "learned"},
          {"active-" + tag, "0", "learned"},
          {"tried-twice-" + tag, "0", "twice"},
          {"attr:tag:promo-" + tag, "0", "learned"},
          {"long:active-" + tag, "0", "learned"}
        }) {
      byte[] stats = ("twice".equals(arm[2]) ? twice : learned).toBytes();
      pool.preparedQuery(
              "insert into arm_models (arm_id, encoder, stats, updated_at) values ($1, $2, $3,"
                  + " now() - make_interval(days => $4))")
          .execute(
              Tuple.of(
                  arm[0],
                  encoder,
                  io.vertx.core.buffer.Buffer.buffer(stats),
                  Integer.parseInt(arm[1])))
          .await()
          .atMost(WAIT);
    }
    try {
      // the pools and the journey arms are not actions; a campaign quiet for 60 days is retired,
      // and one with fewer decisions than coefficients (2 of 3) lives on its prior
      assertThat(armModels.actionsLearnedWithin(encoder, 28, 3).await().atMost(WAIT)).isEqualTo(2L);
      assertThat(armModels.actionsLearnedWithin(encoder, 90, 3).await().atMost(WAIT)).isEqualTo(3L);
      assertThat(armModels.actionsLearnedWithin(encoder, 28, 2).await().atMost(WAIT)).isEqualTo(3L);
    } finally {
      pool.preparedQuery("delete from arm_models where encoder = $1")
          .execute(Tuple.of(encoder))
          .await()
          .atMost(WAIT);
    }
  }

  @Test
  void aDecisionCountsInTheDayOfItsStreamTime() {
    assertThat(
            PromotionSums.dayBucket(
                PromotionSums.APPRENTICE, java.time.Instant.parse("2026-09-05T23:59:59Z")))
        .isEqualTo("apprentice@" + java.time.LocalDate.parse("2026-09-05").toEpochDay());
  }

  /** One day of decisions: every policy's sums, the paired difference with mean {@code diff}. */
  private void day(String bucket, double diff) {
    double sd = 10;
    for (String policy :
        List.of(
            PromotionSums.MODEL, PromotionSums.MANUAL, PromotionSums.DIFF, PromotionSums.LOGGED)) {
      double mean = policy.equals(PromotionSums.DIFF) ? diff : 12;
      var v =
          new ValueSums(
              PER_DAY,
              PER_DAY,
              PER_DAY * mean,
              PER_DAY,
              PER_DAY * mean,
              PER_DAY * (mean * mean + sd * sd),
              0,
              PER_DAY * mean,
              PER_DAY * (mean * mean + sd * sd));
      pool.preparedQuery(
              "insert into policy_sums (bucket, policy, n, sw, swr, sw2, sw2r, sw2r2, matches,"
                  + " sdr, sdr2) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on"
                  + " conflict (bucket, policy) do update set n = policy_sums.n + excluded.n,"
                  + " sw = policy_sums.sw + excluded.sw, swr = policy_sums.swr + excluded.swr,"
                  + " sw2 = policy_sums.sw2 + excluded.sw2, sw2r = policy_sums.sw2r +"
                  + " excluded.sw2r, sw2r2 = policy_sums.sw2r2 + excluded.sw2r2, sdr ="
                  + " policy_sums.sdr + excluded.sdr, sdr2 = policy_sums.sdr2 + excluded.sdr2")
          .execute(
              Tuple.tuple(
                  List.of(
                      bucket,
                      policy,
                      v.n(),
                      v.sw(),
                      v.swr(),
                      v.sw2(),
                      v.sw2r(),
                      v.sw2r2(),
                      v.matches(),
                      v.sdr(),
                      v.sdr2())))
          .await()
          .atMost(WAIT);
    }
  }

  private long dayRows() {
    return pool.query("select count(*) from policy_sums where bucket like 'apprentice@%'")
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private List<Long> days() {
    var row =
        pool.query(
                "select min(split_part(bucket, '@', 2)::bigint), max(split_part(bucket, '@',"
                    + " 2)::bigint) from policy_sums where bucket like 'apprentice@%'")
            .execute()
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    return List.of(row.getLong(0), row.getLong(1));
  }
}
