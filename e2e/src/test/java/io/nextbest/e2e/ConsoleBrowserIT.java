package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.testing.TestJwt;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The marketer console in Debian's Chromium, driven by playwright-core over the running services: a
 * person signs in with a token, meets the rule check's error and then creates the campaign,
 * previews a template for a customer, reads the uplift and learning pages after decisions and
 * outcomes have flowed, looks the customer up and erases them. Every page is saved as a screenshot
 * under {@code target/screenshots/} (desktop and phone) and has no serious or critical axe-core
 * violation.
 */
class ConsoleBrowserIT extends RunningSystem {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void startConsole() throws Exception {
    system.startConsole();
  }

  @Test
  void aMarketerWorksThroughEveryPage() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    // attacker-controlled text in a profile must reach the pages as text, never as markup
    String customer = "e2e-console-" + run;
    String hostileName = "<img/src=x/onerror=alert(1)>Ava";
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", hostileName, "locale", "en")))
        .put(system.url("profile") + "/api/v1/profiles/{id}", customer)
        .then()
        .statusCode(200);

    // decisions for a handful of customers, some converting, so the reports have figures
    List<String> decided = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String c = i == 0 ? customer : "e2e-console-" + run + "-" + i;
      if (i > 0) {
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("attributes", Map.of("name", "Customer " + i)))
            .put(system.url("profile") + "/api/v1/profiles/{id}", c)
            .then()
            .statusCode(200);
      }
      String decisionId = decide(c);
      decided.add(decisionId);
      if (i % 3 == 0) {
        awaitLogged(decisionId);
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
                            decisionId,
                            "value",
                            20.0 + i))))
            .post(system.url("decision") + "/api/v1/outcomes")
            .then()
            .statusCode(200)
            .body("accepted", org.hamcrest.Matchers.equalTo(1));
      }
    }
    for (String d : decided) {
      awaitLogged(d);
    }

    long templateId =
        given()
            .queryParam("placement", "home-hero")
            .get(system.url("content") + "/api/v1/templates")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            // the welcome banner greets the customer by name
            .getLong("find { it.campaignId == 'welcome' }.id");

    Path shots = Path.of("target/screenshots").toAbsolutePath();
    Process node =
        new ProcessBuilder(
                "node",
                "console.test.mjs",
                system.url("console"),
                TestJwt.tokenFor("e2e-admin@example.com", "admin"),
                customer,
                String.valueOf(templateId),
                shots.toString())
            .directory(Path.of("browser").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(240, TimeUnit.SECONDS)).as("browser test finished").isTrue();
    assertThat(node.exitValue()).as("browser test exit code; output: " + out).isZero();
    JsonNode seen = JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    java.nio.file.Files.writeString(shots.resolve("seen.json"), out);

    assertThat(seen.path("redirectedToSignIn").asBoolean()).as("signed out → sign-in").isTrue();
    assertThat(seen.path("signedIn").asBoolean()).isTrue();
    assertThat(seen.path("sessionCookie").path("httpOnly").asBoolean()).isTrue();
    assertThat(seen.path("sessionCookie").path("sameSite").asText()).isEqualTo("Strict");
    assertThat(seen.path("firstTab").asText()).isEqualTo("Skip to the content");

    assertThat(seen.path("validationError").asText()).contains("not valid");
    assertThat(seen.path("caret").asBoolean()).as("the error is shown at its position").isTrue();
    assertThat(seen.path("dryRun").asText()).isNotBlank();
    assertThat(seen.path("campaignSaved").path("title").asText())
        .contains("Tea lovers <b>welcome</b>");
    assertThat(seen.path("campaignListed").asBoolean()).isTrue();

    // the preview: the customer's own content, in a frame that may run nothing, logged nowhere
    assertThat(seen.path("preview").path("status").asText()).contains("logs nothing");
    assertThat(seen.path("preview").path("frame").asText()).contains("Ava");
    assertThat(seen.path("preview").path("sandbox").asText()).isEmpty();
    assertThat(seen.path("overviewCharts").asInt()).as("uPlot charts on the overview").isPositive();
    assertThat(seen.path("learningText").asText()).contains("none");

    assertThat(seen.path("customerUrl").asText()).endsWith("/customers/" + customer);
    assertThat(seen.path("customerText").asText()).contains(hostileName);
    assertThat(seen.path("erasedText").asText()).containsIgnoringCase("erased");
    assertThat(seen.path("errors")).as("no script error, no alert from profile values").isEmpty();

    JsonNode pages = seen.path("pages");
    assertThat(pages.size()).isGreaterThanOrEqualTo(20);
    pages
        .properties()
        .forEach(
            page -> {
              assertThat(page.getValue().path("violations"))
                  .as("serious or critical axe-core violations on " + page.getKey())
                  .isEmpty();
              assertThat(page.getValue().path("sidewaysScroll").asBoolean())
                  .as(page.getKey() + " scrolls sideways")
                  .isFalse();
              assertThat(shots.resolve(page.getKey() + ".png")).exists();
            });

    // the erase reached profile-service: the customer is gone
    awaitGone(customer);
  }

  /** A real-time decision for the customer, once their profile has reached decision-service. */
  private static String decide(String customer) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      var r =
          given()
              .contentType(ContentType.JSON)
              .body(Map.of("customerId", customer, "placement", "home-hero"))
              .post(system.url("decision") + "/api/v1/decisions");
      if (r.statusCode() == 200) {
        return r.path("decisionId");
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no decision for " + customer + ": " + r.asString());
      }
      Thread.sleep(250);
    }
  }

  private static void awaitLogged(String decisionId) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      if (given().get(system.url("decision") + "/api/v1/decisions/{id}", decisionId).statusCode()
          == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("decision " + decisionId + " was never logged");
  }

  private static void awaitGone(String customer) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      if (given().get(system.url("profile") + "/api/v1/profiles/{id}", customer).statusCode()
          == 404) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("customer " + customer + " was not erased");
  }
}
