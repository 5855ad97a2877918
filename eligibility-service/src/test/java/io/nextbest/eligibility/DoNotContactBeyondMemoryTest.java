package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A do-not-contact list longer than the service holds in memory is read per customer from
 * PostgreSQL, and still excludes everyone on it.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@TestProfile(DoNotContactBeyondMemoryTest.OneInMemory.class)
class DoNotContactBeyondMemoryTest {
  /** Holds at most one do-not-contact row in memory. */
  public static class OneInMemory implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("nextbest.do-not-contact.max-in-memory", "1");
    }
  }

  @Inject RedisDataSource redis;
  @Inject CampaignCatalog catalog;

  private void consentingProfile(String customer) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,\"attributes\":{},"
                    + "\"features\":{\"purchaseCount\":2},\"predictions\":{},"
                    + "\"consents\":{\"email\":{\"granted\":true}},\"segments\":[]}")
                .formatted(customer, customer));
  }

  private static String reason(String customer, String campaign) {
    return given()
        .queryParam("channel", "email")
        .get("/api/v1/eligibility/{id}", customer)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("excluded.find { it.campaignId == '" + campaign + "' }.reason");
  }

  @Test
  void everyoneOnALongListIsExcluded() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String campaign = "dnc-long-" + run;
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                campaign,
                "name",
                "Long list",
                "goal",
                "revenue",
                "channels",
                List.of("email"),
                "priority",
                20,
                "trigger",
                Map.of("type", "realtime"),
                "rule",
                "features.purchaseCount >= 1"))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201);
    List<String> listed = List.of("dnc-a-" + run, "dnc-b-" + run, "dnc-c-" + run);
    for (String c : listed) {
      consentingProfile(c);
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("channels", List.of("email"), "reason", "asked"))
          .put("/api/v1/do-not-contact/{id}", c)
          .then()
          .statusCode(200);
    }
    for (String c : listed) {
      assertThat(reason(c, campaign)).isEqualTo("on the do-not-contact list (email)");
    }
    assertThat(catalog.current().await().atMost(Duration.ofSeconds(10)).doNotContact())
        .as("the list is not held in memory")
        .isNull();
    String free = "dnc-free-" + run;
    consentingProfile(free);
    assertThat(reason(free, campaign)).isNull();
  }
}
