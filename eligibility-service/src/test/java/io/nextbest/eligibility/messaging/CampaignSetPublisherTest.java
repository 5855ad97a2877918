package io.nextbest.eligibility.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.eligibility.CampaignSet;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class CampaignSetPublisherTest {
  @Inject JsonCodec json;

  private static Map<String, Object> campaign(String id, int priority) {
    return Map.of(
        "id",
        id,
        "name",
        "Edge sale",
        "goal",
        "revenue",
        "channels",
        List.of("web"),
        "placement",
        "home-hero",
        "priority",
        priority,
        "trigger",
        Map.of("type", "realtime"),
        "rule",
        "features.purchaseCount >= 1");
  }

  private CampaignSet read(String value) {
    return json.read(value, CampaignSet.class);
  }

  private static boolean holds(CampaignSet set, String id, int version) {
    return set.campaigns().stream()
        .anyMatch(c -> c.spec().id().equals(id) && c.version() == version);
  }

  @Test
  void aCampaignChangeIsPublishedForEdgesWithinSeconds() {
    String id = "edge-" + UUID.randomUUID().toString().substring(0, 8);
    try (var topic = KafkaTopics.watch(Topics.CAMPAIGNS)) {
      given()
          .contentType(ContentType.JSON)
          .body(campaign(id, 20))
          .post("/api/v1/campaigns")
          .then()
          .statusCode(201);
      var created = topic.await(r -> holds(read(r.value()), id, 1), 1, Duration.ofSeconds(15));
      assertThat(created).hasSize(1);
      assertThat(created.get(0).key()).isEqualTo(CampaignSetPublisher.KEY);
      CampaignSet set = read(created.get(0).value());
      assertThat(set.settings()).isNotNull();
      assertThat(set.publishedAt()).isNotNull();
      // the published set compiles as the edge compiles it
      assertThat(set.compile(Map.of(), new java.util.ArrayList<>()).campaigns())
          .anySatisfy(c -> assertThat(c.id()).isEqualTo(id));

      given()
          .contentType(ContentType.JSON)
          .body(campaign(id, 30))
          .put("/api/v1/campaigns/{id}", id)
          .then()
          .statusCode(200);
      assertThat(topic.await(r -> holds(read(r.value()), id, 2), 1, Duration.ofSeconds(15)))
          .hasSize(1);

      java.time.Instant deleted = java.time.Instant.now();
      given().delete("/api/v1/campaigns/{id}", id).then().statusCode(204);
      assertThat(
              topic.await(
                  r -> {
                    CampaignSet after = read(r.value());
                    return !after.publishedAt().isBefore(deleted)
                        && after.campaigns().stream().noneMatch(c -> c.spec().id().equals(id));
                  },
                  1,
                  Duration.ofSeconds(15)))
          .isNotEmpty();
    }
  }
}
