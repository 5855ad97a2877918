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
 * placements, a known customer sees their own content, and a click on the call to action travels
 * through the outcomes topic into content-service's variant statistics.
 */
class DemoBrowserIT extends RunningSystem {

  @Test
  void storefrontShowsEachCustomerTheirContentAndReportsTheClick() throws Exception {
    String c = "e2e-browser-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", "Nora Quist", "locale", "en-GB")))
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);

    Process node =
        new ProcessBuilder("node", "demo.test.mjs", system.url("content"), c, "Welcome, Nora!")
            .directory(Path.of("browser").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("browser test finished").isTrue();
    assertThat(node.exitValue()).as("browser test exit code; output: " + out).isZero();

    JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    assertThat(seen.path("customer").asText()).isEqualTo(c);
    assertThat(seen.path("anonymousId").asText()).startsWith("anon-");
    assertThat(seen.path("anonymousHero").asText()).isEqualTo("Welcome, friend!");
    assertThat(seen.path("hero").path("headline").asText()).isEqualTo("Welcome, Nora!");
    assertThat(seen.path("hero").path("campaignId").asText()).isEqualTo("welcome");
    assertThat(seen.path("banner").asText()).isEqualTo("Free delivery over 50");
    assertThat(seen.path("cart").asText()).isEqualTo("Almost there");

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
}
