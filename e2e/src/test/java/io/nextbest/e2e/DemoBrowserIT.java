package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo storefront in Debian's Chromium, driven by playwright-core: the SDK fills the three
 * placements, a visitor's anonymous history joins the customer when they identify, a known customer
 * sees their own content in their own language (not the page's), and a click on the call to action
 * travels through the outcomes topic into content-service's variant statistics.
 */
class DemoBrowserIT extends RunningSystem {

  @Test
  void storefrontShowsEachCustomerTheirContentAndReportsTheClick() throws Exception {
    String c = "e2e-browser-" + UUID.randomUUID();
    // the page is <html lang="en">, the customer's profile Spanish: the profile wins
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", "Nora Quist", "locale", "es-MX")))
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    // the visitor's anonymous history, sent by the site as it happened
    String anon = "anon-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"events\":[{\"eventId\":\"%s-view\",\"customerId\":\"%s\",\"type\":\"view\",\"properties\":{\"sku\":\"TEA-01\",\"category\":\"tea\"}}]}"
                .formatted(anon, anon))
        .post(system.url("profile") + "/api/v1/events")
        .then()
        .statusCode(202);
    awaitStatus(system.url("profile") + "/api/v1/profiles/" + anon, 200);

    Process node =
        new ProcessBuilder("node", "demo.test.mjs", system.url("content"), c, "¡Hola, Nora!", anon)
            .directory(Path.of("browser").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("browser test finished").isTrue();
    assertThat(node.exitValue()).as("browser test exit code; output: " + out).isZero();

    JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    assertThat(seen.path("customer").asText()).isEqualTo(c);
    assertThat(seen.path("anonymousId").asText()).isEqualTo(anon);
    assertThat(seen.path("anonymousHero").asText()).isEqualTo("Welcome, friend!");
    assertThat(seen.path("identified").path("merged").asBoolean()).isTrue();
    assertThat(seen.path("nextAnonymousId").asText()).startsWith("anon-").isNotEqualTo(anon);
    assertThat(seen.path("hero").path("headline").asText()).isEqualTo("¡Hola, Nora!");
    assertThat(seen.path("hero").path("campaignId").asText()).isEqualTo("welcome");
    assertThat(seen.path("banner").asText()).isEqualTo("Envío gratis desde 50");
    assertThat(seen.path("cart").asText()).isEqualTo("Casi listo");

    // identify() merged the anonymous id in profile-service: it resolves to the customer, whose
    // profile now holds the anonymous visit, and its later events land there too
    given()
        .get(system.url("profile") + "/api/v1/profiles/{id}", anon)
        .then()
        .statusCode(200)
        .body("customerId", org.hamcrest.Matchers.equalTo(c));
    given()
        .get(system.url("profile") + "/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("aliases", org.hamcrest.Matchers.hasItem(anon))
        .body("events.eventId", org.hamcrest.Matchers.hasItem(anon + "-view"));

    String decisionId = seen.path("hero").path("decisionId").asText();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Response impression = null;
    while (System.nanoTime() < end) {
      impression = given().get(system.url("content") + "/api/v1/impressions/{d}", decisionId);
      if (impression.statusCode() == 200 && Boolean.TRUE.equals(impression.path("clicked"))) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(impression).isNotNull();
    assertThat(impression.statusCode()).isEqualTo(200);
    assertThat(impression.<Boolean>path("clicked")).as(impression.asString()).isTrue();
    assertThat(impression.<String>path("variantId"))
        .isEqualTo(seen.path("hero").path("variantId").asText());
  }

  private static void awaitStatus(String url, int status) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int last = -1;
    while (System.nanoTime() < end) {
      last = given().get(url).statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(url + " answered " + last + ", not " + status);
  }
}
