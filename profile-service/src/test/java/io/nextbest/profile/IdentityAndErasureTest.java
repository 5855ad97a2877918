package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.nextbest.profile.repository.EraseLock;
import io.nextbest.profile.service.ProfileCache;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class IdentityAndErasureTest {
  @Inject AgroalDataSource db;
  @Inject RedisDataSource redis;
  @Inject ProfileCache cache;

  @Test
  void anonymousHistoryMergesIntoKnownCustomerAndAliasResolvesToIt() throws Exception {
    String known = "k-" + UUID.randomUUID();
    String anon = "anon-" + UUID.randomUUID();
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            EventIngestTest.event(anon + "-1", anon, "view", "{\"category\":\"tea\"}"),
            EventIngestTest.event(anon + "-2", anon, "purchase", "{\"amount\":10}")));
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            EventIngestTest.event(known + "-1", known, "purchase", "{\"amount\":5}")));

    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + anon + "\"}")
        .post("/api/v1/profiles/{id}/aliases", known)
        .then()
        .statusCode(200)
        .body("customerId", equalTo(known))
        .body("features.eventCount", equalTo(3))
        .body("features.purchaseCount", equalTo(2))
        .body("features.monetary", equalTo(15.0f))
        .body("features.topCategories", contains("tea"));

    // the old id resolves to the merged profile, and new events for it land there too
    given()
        .get("/api/v1/profiles/{id}", anon)
        .then()
        .statusCode(200)
        .body("customerId", equalTo(known));
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(anon + "-3", anon, "app_open", "{}")));
    given()
        .get("/api/v1/profiles/{id}/export", known)
        .then()
        .statusCode(200)
        .body("aliases", contains(anon))
        .body("events", hasSize(4));
    assertThat(count("select count(*) from events where customer_id = ?", anon)).isZero();
    assertThat(count("select count(*) from customers where customer_id = ?", anon)).isZero();
  }

  @Test
  void aMergedAwayIdIsNotCachedAgainFromALateCopyOfItsSnapshot() throws Exception {
    String known = "k-" + UUID.randomUUID();
    String anon = "anon-" + UUID.randomUUID();
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(anon + "-1", anon, "view", "{}")));
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(known + "-1", known, "view", "{}")));
    String late = redis.value(String.class).get("nextbest:profile:" + anon);
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + anon + "\"}")
        .post("/api/v1/profiles/{id}/aliases", known)
        .then()
        .statusCode(200);
    // what the cache consumer does with a snapshot of the alias published before the merge and
    // read after it, before the alias's tombstone
    cache.markGone(List.of(anon)).await().indefinitely();
    cache
        .refreshCached(
            List.of(
                new ProfileCache.Cached(
                    anon,
                    1,
                    late != null ? late : "{\"customerId\":\"" + anon + "\",\"version\":1}")))
        .await()
        .indefinitely();
    assertThat(redis.value(String.class).get("nextbest:profile:" + anon))
        .isEqualTo(ProfileLookup.GONE);
    given()
        .get("/api/v1/profiles/{id}", anon)
        .then()
        .statusCode(200)
        .body("customerId", equalTo(known));
  }

  @Test
  void tokensOfBothKeysOfARolloverAreAcceptedAndNoOther() throws Exception {
    // the services verify with a key set: during a rollover the previous signing key still counts
    String c = "rollover-" + UUID.randomUUID();
    for (String token : List.of(TestJwt.token("admin"), TestJwt.tokenOfPreviousKey("admin"))) {
      given().auth().oauth2(token).get("/api/v1/profiles/{id}", c).then().statusCode(404);
    }
    var stranger = java.security.KeyPairGenerator.getInstance("RSA");
    stranger.initialize(2048);
    long now = java.time.Instant.now().getEpochSecond();
    for (String kid : List.of("test-current", "test-previous", "unknown")) {
      String forged =
          TestJwt.sign(
              stranger.generateKeyPair().getPrivate(),
              kid,
              TestJwt.ISSUER,
              "forger",
              new String[] {"admin"},
              now,
              now + 600);
      given().auth().oauth2(forged).get("/api/v1/profiles/{id}", c).then().statusCode(401);
    }
  }

  @Test
  void identityAndProfileApisTakeATokenWithTheirScope() {
    String c = "scoped-" + UUID.randomUUID();
    String events = EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}"));
    // nobody without a token reads personal data, writes events or merges identities
    given().auth().none().get("/api/v1/profiles/{id}", c).then().statusCode(401);
    given()
        .auth()
        .none()
        .contentType(ContentType.JSON)
        .body(events)
        .post("/api/v1/events")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .none()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"victim\"}")
        .post("/api/v1/profiles/{id}/aliases", c)
        .then()
        .statusCode(401);
    // a backend token with events:write sends events, and nothing else
    String writer = TestJwt.token("events:write");
    given()
        .auth()
        .oauth2(writer)
        .contentType(ContentType.JSON)
        .body(events)
        .post("/api/v1/events")
        .then()
        .statusCode(202);
    given().auth().oauth2(writer).get("/api/v1/profiles/{id}", c).then().statusCode(403);
    given()
        .auth()
        .oauth2(writer)
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"name\":\"Eve\"}}")
        .put("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(403);
    Ingested.awaitEventCount(c, 1);
    given()
        .auth()
        .oauth2(TestJwt.token("profiles:read"))
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
  }

  @Test
  void anIdentifiedCustomerIsMergedIntoAnotherOnlyByAnAdminAndNeverBackwards() {
    String attacker = "att-" + UUID.randomUUID();
    String victim = "vic-" + UUID.randomUUID();
    String anon = "anon-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"name\":\"Vera\",\"email\":\"vera@example.com\"}}")
        .put("/api/v1/profiles/{id}", victim)
        .then()
        .statusCode(200);
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            EventIngestTest.event(attacker + "-1", attacker, "view", "{}"),
            EventIngestTest.event(anon + "-1", anon, "view", "{}")));
    String merger = TestJwt.token("identity:merge");
    // log-in stitching of an anonymous id is what identity:merge is for
    given()
        .auth()
        .oauth2(merger)
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + anon + "\"}")
        .post("/api/v1/profiles/{id}/aliases", attacker)
        .then()
        .statusCode(200);
    // taking over an identified customer is not
    given()
        .auth()
        .oauth2(merger)
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + victim + "\"}")
        .post("/api/v1/profiles/{id}/aliases", attacker)
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("detail", containsString("needs an admin token"));
    given()
        .get("/api/v1/profiles/{id}", victim)
        .then()
        .statusCode(200)
        .body("customerId", equalTo(victim));
    // an admin may, and the merged id then cannot take merges itself (once answered 500)
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + victim + "\"}")
        .post("/api/v1/profiles/{id}/aliases", attacker)
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + attacker + "\"}")
        .post("/api/v1/profiles/{id}/aliases", victim)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("customerId"))
        .body("errors[0].message", containsString("is an alias of '" + attacker + "'"));
  }

  @Test
  void mergingAnIdIntoItselfIsAProblem() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"same\"}")
        .post("/api/v1/profiles/{id}/aliases", "same")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void exportHoldsProfileConsentsPredictionsAndEvents() {
    String c = "x-" + UUID.randomUUID();
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "purchase", "{\"amount\":12}")));
    given()
        .contentType(ContentType.JSON)
        .body("{\"granted\":true,\"source\":\"signup\"}")
        .put("/api/v1/profiles/{id}/consents/push", c)
        .then()
        .statusCode(200);
    given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("customerId", equalTo(c))
        .body("consents.push.granted", equalTo(true))
        .body("predictions.basis", equalTo("bg-nbd+gamma-gamma"))
        .body("events[0].eventId", equalTo(c + "-1"))
        .body("events[0].properties.amount", equalTo(12));
  }

  @Test
  void eraseLeavesNothingOfThePersonAndTellsEveryService() throws Exception {
    String c = "e-" + UUID.randomUUID();
    String anon = "anon-" + UUID.randomUUID();
    buyerWithMergedAlias(c, anon);
    given().get("/api/v1/profiles/{id}", c).then().statusCode(200); // now cached in Redis

    try (var privacy = KafkaTopics.watch(Topics.PRIVACY);
        var profiles = KafkaTopics.watch(Topics.PROFILES)) {
      // erasure and export are admin operations: no token is a 401, a marketer's a 403
      given().auth().none().delete("/api/v1/profiles/{id}", c).then().statusCode(401);
      given()
          .auth()
          .oauth2(TestJwt.token("marketer"))
          .delete("/api/v1/profiles/{id}", c)
          .then()
          .statusCode(403)
          .contentType("application/problem+json");
      given()
          .auth()
          .oauth2(TestJwt.token("marketer"))
          .get("/api/v1/profiles/{id}/export", c)
          .then()
          .statusCode(403);
      eraseAsAdmin(c);

      var requests = privacy.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(20));
      assertThat(requests.get(0).value()).contains("\"type\":\"privacy.erase\"");
      var tombstones =
          profiles.await(r -> c.equals(r.key()) && r.value() == null, 1, Duration.ofSeconds(20));
      assertThat(tombstones).hasSize(1);
    }
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);
    given().get("/api/v1/profiles/{id}", anon).then().statusCode(404);
    given().get("/api/v1/profiles/{id}/export", c).then().statusCode(404);
    given().delete("/api/v1/profiles/{id}", c).then().statusCode(404);
    for (String id : new String[] {c, anon}) {
      assertThat(count("select count(*) from customers where customer_id = ?", id)).isZero();
      assertThat(count("select count(*) from events where customer_id = ?", id)).isZero();
      assertThat(
              count(
                  "select count(*) from identities where alias_id = ? or customer_id = ?", id, id))
          .isZero();
      assertThat(
              count(
                  "select count(*) from outbox where payload like ? and topic <> ?",
                  "%" + id + "%",
                  Topics.PRIVACY))
          .isZero();
      assertThat(redis.key().exists("nextbest:profile:" + id)).isFalse();
    }
  }

  @Test
  void aSnapshotPublishedBeforeTheEraseAndReadAfterItIsNotCachedAgain() throws Exception {
    String c = "late-" + UUID.randomUUID();
    String other = "late-o-" + UUID.randomUUID();
    buyerWithMergedAlias(c, "anon-" + UUID.randomUUID());
    eraseAsAdmin(c);

    // the person's last snapshot, relayed before the erase, reaches the cache consumer after it;
    // another customer's snapshot behind it shows when the consumer has passed it
    KafkaTopics.sendAll(
        Topics.PROFILES,
        List.<Map.Entry<String, String>>of(
            new SimpleEntry<>(c, ProfileCacheConsumerTest.snapshot(c, 99, "GB")),
            new SimpleEntry<>(other, ProfileCacheConsumerTest.snapshot(other, 1, "GB"))));
    for (int i = 0; i < 200 && !redis.key().exists(ProfileLookup.PREFIX + other); i++) {
      Thread.sleep(100);
    }
    assertThat(redis.key().exists(ProfileLookup.PREFIX + other)).isTrue();
    assertThat(redis.key().exists(ProfileLookup.PREFIX + c)).isFalse();
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);
    // what keeps the snapshot out names a hash of the id, never the id
    assertThat(redis.key().keys("*" + c + "*")).isEmpty();
  }

  @Test
  void eventsAndWritesForAnErasedIdAreRefusedUntilItsHoldEnds() throws Exception {
    String c = "h-" + UUID.randomUUID();
    String anon = "anon-" + UUID.randomUUID();
    String other = "o-" + UUID.randomUUID();
    buyerWithMergedAlias(c, anon);
    eraseAsAdmin(c);

    // events still in flight for the person, under either id, are refused; others are kept
    ProfileFeaturesTest.ingest(
            EventIngestTest.batch(
                EventIngestTest.event(other + "-1", other, "view", "{}"),
                EventIngestTest.event(c + "-2", c, "purchase", "{\"amount\":5}"),
                EventIngestTest.event(anon + "-2", anon, "view", "{}")))
        .body("accepted", equalTo(1))
        .body("rejected", hasSize(2))
        .body("rejected[0].index", equalTo(1))
        .body("rejected[0].field", equalTo("customerId"))
        .body("rejected[0].reason", containsString("was erased"))
        .body("rejected[1].index", equalTo(2));
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);
    given().get("/api/v1/profiles/{id}", anon).then().statusCode(404);
    given().get("/api/v1/profiles/{id}", other).then().statusCode(200);
    for (String id : new String[] {c, anon}) {
      assertThat(count("select count(*) from customers where customer_id = ?", id)).isZero();
      assertThat(count("select count(*) from events where customer_id = ?", id)).isZero();
      // the erase is remembered by a hash of the id, never the id itself
      assertThat(count("select count(*) from erased_customers where id_hash = ?", id)).isZero();
    }

    // a profile write or a merge naming the id is a conflict, not a new profile
    given()
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"name\":\"Again\"}}")
        .put("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("was erased"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + anon + "\"}")
        .post("/api/v1/profiles/{id}/aliases", other)
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);

    // once the hold has passed, the id may start a new relationship; older events stay refused
    try (Connection conn = db.getConnection();
        PreparedStatement st =
            conn.prepareStatement(
                "update erased_customers set erased_at = now() - interval '2 days'"
                    + " where id_hash = encode(sha256(convert_to(?, 'UTF8')), 'hex')")) {
      st.setString(1, c);
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    String old = java.time.Instant.now().minus(Duration.ofDays(3)).toString();
    ProfileFeaturesTest.ingest(
            EventIngestTest.batch(
                EventIngestTest.event(c + "-3", c, "view", "{}"),
                "{\"eventId\":\"%s-4\",\"customerId\":\"%s\",\"type\":\"view\",\"occurredAt\":\"%s\"}"
                    .formatted(c, c, old)))
        .body("accepted", equalTo(1))
        .body("rejected", hasSize(1))
        .body("rejected[0].index", equalTo(1));
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.eventCount", equalTo(1))
        .body("features.purchaseCount", equalTo(0));
  }

  @Test
  void eventsArrivingDuringAnEraseWaitForItAndAreThenRefused() throws Exception {
    String c = "r-" + UUID.randomUUID();
    String other = "o-" + UUID.randomUUID();
    // the ingest path warm, so that a batch which did not wait would be answered at once
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(other + "-0", other, "view", "{}")));
    CompletableFuture<ExtractableResponse<Response>> posted;
    // an erase in progress: it holds the erase lock and has remembered the id, not yet committed
    try (Connection conn = db.getConnection()) {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.execute(EraseLock.EXCLUSIVE);
      }
      try (PreparedStatement st = conn.prepareStatement(ErasedCustomers.remember("?"))) {
        st.setString(1, c);
        st.executeUpdate();
      }
      posted =
          CompletableFuture.supplyAsync(
              () ->
                  given()
                      .contentType(ContentType.JSON)
                      .body(
                          EventIngestTest.batch(
                              EventIngestTest.event(c + "-1", c, "view", "{}"),
                              EventIngestTest.event(other + "-1", other, "view", "{}")))
                      .post("/api/v1/events")
                      .then()
                      .extract());
      Thread.sleep(1000);
      assertThat(posted).as("the batch waits for the erase to end").isNotDone();
      conn.commit();
    }
    var answer = posted.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.jsonPath().getInt("accepted")).isEqualTo(1);
    assertThat(answer.jsonPath().getInt("rejected[0].index")).isZero();
    assertThat(answer.jsonPath().getString("rejected[0].reason")).contains("was erased");
    assertThat(count("select count(*) from customers where customer_id = ?", c)).isZero();
    assertThat(count("select count(*) from events where customer_id = ?", c)).isZero();
  }

  /** A customer with a purchase of 20, and an anonymous id with a view merged into it. */
  private static void buyerWithMergedAlias(String customer, String anon) {
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            EventIngestTest.event(customer + "-1", customer, "purchase", "{\"amount\":20}"),
            EventIngestTest.event(anon + "-1", anon, "view", "{}")));
    given()
        .contentType(ContentType.JSON)
        .body("{\"alias\":\"" + anon + "\"}")
        .post("/api/v1/profiles/{id}/aliases", customer)
        .then()
        .statusCode(200);
  }

  private static void eraseAsAdmin(String customer) {
    given()
        .auth()
        .oauth2(TestJwt.token("admin"))
        .delete("/api/v1/profiles/{id}", customer)
        .then()
        .statusCode(204);
  }

  private long count(String sql, String... args) throws Exception {
    try (Connection conn = db.getConnection();
        PreparedStatement st = conn.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setString(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
