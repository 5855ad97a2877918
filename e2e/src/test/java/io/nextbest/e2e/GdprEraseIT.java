package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * GDPR erasure across every store. A person with a merged anonymous id, events, a purchase, a
 * consent, real-time content with an impression and a click, decisions and a conversion is first
 * found by the scan in all four services' databases, Redis and the compacted profiles topic; after
 * {@code DELETE /api/v1/profiles/{id}} the same scan finds nothing of either id (the topic keeps at
 * most the tombstone that made compaction drop the person's snapshots).
 */
class GdprEraseIT extends RunningSystem {
  private static final String KAFKA =
      System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

  /** Topic settings that make compaction drop an erased person within seconds, not hours. */
  private static final Map<String, String> FAST_COMPACTION =
      Map.of(
          "segment.ms", "2000",
          "max.compaction.lag.ms", "2000",
          "min.cleanable.dirty.ratio", "0.01",
          "delete.retention.ms", "1000");

  @Test
  void afterAnEraseNoStoreHoldsAnythingOfThePerson() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String c = "gdpr-" + run;
    String anon = "anon-gdpr-" + run;
    PersonScan scan = new PersonScan(system.redisPort(), KAFKA);

    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", "Erin", "email", c + "@example.org")))
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body(
            ("{\"events\":[{\"eventId\":\"%1$s-v\",\"customerId\":\"%2$s\",\"type\":\"view\","
                    + "\"properties\":{\"sku\":\"tea-1\",\"category\":\"tea\"}},"
                    + "{\"eventId\":\"%1$s-p\",\"customerId\":\"%3$s\",\"type\":\"purchase\","
                    + "\"properties\":{\"orderId\":\"%1$s-o\",\"amount\":30,\"currency\":\"EUR\","
                    + "\"items\":[{\"sku\":\"tea-1\",\"category\":\"tea\",\"price\":15,"
                    + "\"quantity\":2}]}}]}")
                .formatted(run, anon, c))
        .post(system.url("profile") + "/api/v1/events")
        .then()
        .statusCode(202);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("alias", anon))
        .post(system.url("profile") + "/api/v1/profiles/{id}/aliases", c)
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("granted", true, "source", "signup-form"))
        .put(system.url("profile") + "/api/v1/profiles/{id}/consents/email", c)
        .then()
        .statusCode(200);

    String shown = awaitCampaignContent(c, Duration.ofSeconds(60));
    clickContent(c, shown);
    String decided =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "customerId",
                    c,
                    "channel",
                    "email",
                    "candidates",
                    List.of(Map.of("campaignId", "gdpr-offer-" + run, "channel", "email"))))
            .post(system.url("decision") + "/api/v1/decisions")
            .then()
            .statusCode(200)
            .extract()
            .path("decisionId");
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "outcomes",
                List.of(
                    Map.of(
                        "id",
                        "conv-" + c,
                        "type",
                        "conversion",
                        "customerId",
                        c,
                        "decisionId",
                        decided,
                        "value",
                        30))))
        .post(system.url("decision") + "/api/v1/outcomes")
        .then()
        .statusCode(200);

    // before the erase the scan sees the person everywhere it should
    Map<String, Long> before =
        awaitFound(
            scan,
            List.of(c, anon),
            List.of(
                "postgres nextbest_profile_e2e",
                "postgres nextbest_eligibility_e2e",
                "postgres nextbest_decision_e2e",
                "postgres nextbest_content_e2e",
                "redis ",
                "kafka " + PersonScan.PROFILES_TOPIC + " record"),
            Duration.ofSeconds(90));
    System.out.println("before the erase: " + before);

    Map<String, String> previous = setTopicConfig(FAST_COMPACTION);
    try {
      given().delete(system.url("profile") + "/api/v1/profiles/{id}", c).then().statusCode(204);
      Map<String, Long> after = awaitGone(scan, List.of(c, anon), run, Duration.ofSeconds(150));
      System.out.println("after the erase: " + after);
      assertThat(after.keySet())
          .as("stores still holding the person after the erase")
          .allMatch(k -> k.endsWith(" tombstone"));
    } finally {
      restoreTopicConfig(previous);
    }
    given().get(system.url("profile") + "/api/v1/profiles/{id}", c).then().statusCode(404);
  }

  private static String awaitCampaignContent(String customer, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      Response r =
          given()
              .header("X-NextBest-Key", NextBestSystem.SITE_KEY)
              .queryParam("customerId", customer)
              .get(system.url("content") + "/api/v1/content/{placement}", "home-hero");
      last = r.asString();
      if (r.statusCode() == 200 && "campaign".equals(r.path("reason"))) {
        String decisionId = r.path("decisionId");
        // the impression reaches content-service's store through the outcomes topic
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
          if (given()
                  .get(system.url("content") + "/api/v1/impressions/{id}", decisionId)
                  .statusCode()
              == 200) {
            return decisionId;
          }
          Thread.sleep(250);
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no campaign content for " + customer + ": " + last);
  }

  private static Map<String, Long> awaitFound(
      PersonScan scan, List<String> ids, List<String> prefixes, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Map<String, Long> found = Map.of();
    while (System.nanoTime() < end) {
      found = scan.find(ids);
      Collection<String> keys = found.keySet();
      if (prefixes.stream().allMatch(p -> keys.stream().anyMatch(k -> k.startsWith(p)))) {
        return found;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "the scan should first find the person in " + prefixes + " but found " + found);
  }

  /**
   * Scans until only tombstones are left. Compaction never touches the active segment: a tombstone
   * of an unrelated key on every partition rolls the segments once they are older than segment.ms.
   */
  private static Map<String, Long> awaitGone(
      PersonScan scan, List<String> ids, String run, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Map<String, Long> found = Map.of();
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      int partitions = producer.partitionsFor(PersonScan.PROFILES_TOPIC).size();
      while (System.nanoTime() < end) {
        found = scan.find(ids);
        if (found.keySet().stream().allMatch(k -> k.endsWith(" tombstone"))) {
          return found;
        }
        for (int i = 0; i < partitions; i++) {
          producer.send(
              new ProducerRecord<>(PersonScan.PROFILES_TOPIC, i, "gdpr-roll-" + run, null));
        }
        producer.flush();
        Thread.sleep(3000);
      }
    }
    return found;
  }

  private static Map<String, String> setTopicConfig(Map<String, String> values) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, PersonScan.PROFILES_TOPIC);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
      Config current = admin.describeConfigs(List.of(topic)).all().get().get(topic);
      Map<String, String> previous = new HashMap<>();
      for (String key : values.keySet()) {
        ConfigEntry e = current.get(key);
        previous.put(
            key,
            e != null && e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                ? e.value()
                : null);
      }
      alter(admin, topic, values);
      return previous;
    }
  }

  private static void restoreTopicConfig(Map<String, String> previous) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, PersonScan.PROFILES_TOPIC);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
      alter(admin, topic, previous);
    }
  }

  /** Sets each value; a null value removes the topic's own setting. */
  private static void alter(Admin admin, ConfigResource topic, Map<String, String> values)
      throws Exception {
    List<AlterConfigOp> ops =
        values.entrySet().stream()
            .map(
                e ->
                    e.getValue() == null
                        ? new AlterConfigOp(
                            new ConfigEntry(e.getKey(), ""), AlterConfigOp.OpType.DELETE)
                        : new AlterConfigOp(
                            new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
            .toList();
    admin.incrementalAlterConfigs(Map.of(topic, ops)).all().get();
  }
}
