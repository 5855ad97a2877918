package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The audience dry run over a real Redis and a stand-in for profile-service's directory: how many
 * customers a rule selects now, and a bounded list of who.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(ProfileDirectoryDouble.class)
class DryRunTest {
  @Inject RedisDataSource redis;

  private void cacheProfile(String customer, int purchases) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{},\"features\":{\"purchaseCount\":%d},\"predictions\":{},"
                    + "\"consents\":{\"email\":{\"granted\":true}},\"segments\":[]}")
                .formatted(customer, customer, purchases));
  }

  private static Map<String, Object> campaign(String marker) {
    return Map.of(
        "id",
        "dry-" + marker,
        "name",
        "Dry run",
        "channels",
        List.of("email"),
        "priority",
        10,
        "controlPercent",
        0,
        "trigger",
        Map.of("type", "realtime"),
        "rule",
        "features.purchaseCount >= 1");
  }

  @Test
  void countsTheAudienceAndNamesABoundedListOfExamples() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> buyers = new ArrayList<>();
    ProfileDirectoryDouble.CUSTOMERS.clear();
    for (int i = 0; i < 30; i++) {
      String c = "dr-" + run + "-" + String.format("%02d", i);
      int purchases = i % 2;
      cacheProfile(c, purchases);
      ProfileDirectoryDouble.CUSTOMERS.add(c);
      if (purchases > 0) {
        buyers.add(c);
      }
    }
    // customers in the global control group are held out of every campaign: ask who they are
    List<String> selected =
        buyers.stream()
            .filter(
                c ->
                    !given()
                        .get("/api/v1/eligibility/{id}", c)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getBoolean("globalControl"))
            .toList();
    assertThat(selected).hasSizeGreaterThan(10);
    JsonPath dry =
        given()
            .contentType(ContentType.JSON)
            .body(campaign(run))
            .post("/api/v1/campaigns/dry-run")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(dry.getLong("scanned")).isEqualTo(30);
    assertThat(dry.getBoolean("complete")).isTrue();
    assertThat(dry.getLong("eligible")).isEqualTo(15);
    // ten by default, the first in id order, each one the rule selects
    assertThat(dry.getList("examples", String.class))
        .containsExactlyElementsOf(buyers.subList(0, 10));

    JsonPath three =
        given()
            .contentType(ContentType.JSON)
            .queryParam("examples", 3)
            .queryParam("limit", 10)
            .body(campaign(run))
            .post("/api/v1/campaigns/dry-run")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(three.getBoolean("complete")).isFalse();
    assertThat(three.getLong("eligible")).isEqualTo(5);
    assertThat(three.getList("examples", String.class))
        .containsExactlyElementsOf(buyers.subList(0, 3));

    JsonPath none =
        given()
            .contentType(ContentType.JSON)
            .queryParam("examples", 0)
            .body(campaign(run))
            .post("/api/v1/campaigns/dry-run")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(none.getList("examples")).isEmpty();
  }

  @Test
  void refusesExampleCountsOutOfBounds() {
    for (String bad : List.of("-1", "51", "many")) {
      given()
          .contentType(ContentType.JSON)
          .queryParam("examples", bad)
          .body(campaign("bounds"))
          .post("/api/v1/campaigns/dry-run")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("examples"));
    }
  }
}
