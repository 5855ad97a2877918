package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A slice of a real order history through the public ingest API, with the refit, into the four
 * services at the heap {@code bin/nextbest up} gives them: every service stays ready, no record is
 * dead-lettered, every decision the import's moments led to is in the decision log, and the
 * recommendation and segment endpoints answer.
 */
class OnlineRetailImportIT extends RunningSystem {
  private static final Path DATA =
      Path.of("../../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz");
  private static final List<String> TOPICS =
      List.of(
          Topics.EVENTS,
          Topics.PROFILES,
          Topics.ELIGIBILITY,
          Topics.DECISIONS,
          Topics.OUTCOMES,
          Topics.PRIVACY);

  @Test
  void aSliceOfOnlineRetailLoadsWithNothingLostOrDeadLettered() throws Exception {
    Assumptions.assumeTrue(Files.exists(DATA), "shared data set beside the repository");
    List<KafkaTopics.Watcher> dead = new ArrayList<>();
    for (String topic : TOPICS) {
      dead.add(KafkaTopics.watch(topic + ".dlq"));
    }
    try (var decisions = KafkaTopics.watch(Topics.DECISIONS)) {
      JsonNode summary = runImport();
      long accepted = summary.path("accepted").asLong();
      long duplicates = summary.path("duplicates").asLong();
      // a first run takes the orders, a later one finds them all known
      assertThat(accepted + duplicates).isGreaterThan(1_000);
      assertThat(summary.path("segments").size()).isPositive();
      // cancellations are returns linked to their orders, guest orders skipped, not rejected
      assertThat(summary.path("returns").asLong()).isPositive();
      assertThat(summary.path("skipped").path("guestOrders").asLong()).isPositive();
      assertThat(summary.path("rejected").asLong()).isZero();
      // judged as of the history's last order sent, not as of today
      String asOf = summary.path("asOf").asText();
      assertThat(java.time.Instant.parse(asOf))
          .isBetween(
              java.time.Instant.parse("2010-12-01T00:00:00Z"),
              java.time.Instant.parse("2011-12-10T00:00:00Z"));
      assertThat(summary.path("clvModel").path("asOf").asText()).isEqualTo(asOf);
      given()
          .auth()
          .oauth2(TestJwt.token("admin"))
          .get(system.url("profile") + "/api/v1/profiles/{id}/export", "or-17850")
          .then()
          .statusCode(200)
          .body("predictions.asOf", org.hamcrest.Matchers.equalTo(asOf));

      for (String service : NextBestSystem.PORTS.keySet()) {
        system.awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(60));
      }
      // every decision the import led to (moments of the imported customers) is logged
      var imported =
          decisions.collectFor(
              r -> r.key() != null && r.key().startsWith("or-"), Duration.ofSeconds(15));
      Set<String> ids = new LinkedHashSet<>();
      ObjectMapper json = new ObjectMapper();
      for (var r : imported) {
        ids.add(json.readTree(r.value()).path("id").asText());
      }
      for (String id : ids) {
        awaitLogged(id);
      }
      for (KafkaTopics.Watcher w : dead) {
        assertThat(w.collectFor(r -> true, Duration.ofMillis(500)))
            .as("dead letters during the import")
            .isEmpty();
      }
      given()
          .auth()
          .oauth2(TestJwt.token("service"))
          .get(system.url("content") + "/api/v1/recommendations/{id}", "or-17850")
          .then()
          .statusCode(200);
      given().get(system.url("profile") + "/api/v1/segments").then().statusCode(200);
      System.out.printf(
          "online retail slice: %d accepted, %d duplicates, %d decisions logged, segments %s%n",
          accepted, duplicates, ids.size(), summary.path("segments"));
    } finally {
      for (KafkaTopics.Watcher w : dead) {
        w.close();
      }
    }
  }

  /** bin/nextbest import as a user runs it, against this system's profile-service. */
  private static JsonNode runImport() throws Exception {
    Path tools = system.root().resolve("nextbest-tools/target");
    String classpath =
        String.join(
            File.pathSeparator, tools.resolve("*").toString(), tools.resolve("lib/*").toString());
    Path out = system.logs().resolve("online-retail-import.json");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                "io.nextbest.tools.profile.ImportCommand",
                "--format",
                "online-retail",
                DATA.toAbsolutePath().toString(),
                "--url",
                system.url("profile"),
                "--limit",
                "3000",
                "--refit")
            .redirectOutput(out.toFile())
            .redirectError(system.logs().resolve("online-retail-import.log").toFile());
    pb.environment().put("NEXTBEST_TOKEN", TestJwt.token("admin"));
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("import finished").isTrue();
    assertThat(p.exitValue()).as("import exit code (see %s)", out).isZero();
    return new ObjectMapper().readTree(out.toFile());
  }

  private static void awaitLogged(String decisionId) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int status = -1;
    while (System.nanoTime() < end) {
      status =
          given().get(system.url("decision") + "/api/v1/decisions/{id}", decisionId).statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(decisionId + " answered but not logged (last answer " + status + ")");
  }
}
