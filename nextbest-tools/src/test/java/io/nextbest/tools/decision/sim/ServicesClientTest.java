package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServicesClientTest {
  private final ObjectMapper json = new ObjectMapper();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

  @Test
  void aRefusalFor503IsRetriedWithTheSameBody() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FakeServices fake =
        new FakeServices(
            body ->
                calls.incrementAndGet() < 3
                    ? new FakeServices.Answer(503, "{\"status\":503,\"title\":\"Unavailable\"}")
                    : FakeServices.chose("c", "d:1"))) {
      ServicesClient client = new ServicesClient(json, "tok", 4, err, 1);
      JsonNode body = json.readTree("{\"customerId\":\"a\"}");
      JsonNode answer = client.callNow("POST", fake.url().resolve("/api/v1/decisions"), body, true);
      assertThat(answer.get("decisionId").asText()).isEqualTo("d:1");
      List<FakeServices.Request> sent = fake.to("POST", "/api/v1/decisions");
      assertThat(sent).hasSize(3);
      assertThat(sent).allSatisfy(r -> assertThat(r.body()).isEqualTo(body));
      assertThat(client.retries()).isEqualTo(2);
      assertThat(client.failureCount()).isZero();
    }
  }

  @Test
  void anyOtherRefusalIsPrintedWithItsProblemAndCounted() throws Exception {
    try (FakeServices fake =
        new FakeServices(
            body ->
                new FakeServices.Answer(
                    400,
                    "{\"status\":400,\"title\":\"Invalid input\",\"detail\":\"Fix it.\","
                        + "\"errors\":[{\"field\":\"at\",\"message\":\"is unknown\"}]}"))) {
      ServicesClient client = new ServicesClient(json, null, 4, err, 1);
      for (int i = 0; i < 3; i++) {
        assertThat(
                client.callNow(
                    "POST", fake.url().resolve("/api/v1/decisions"), json.readTree("{}"), true))
            .isNull();
      }
      assertThat(client.failures())
          .containsEntry(
              "POST /api/v1/decisions → 400 Invalid input: Fix it. [at: is unknown]", 3L);
      // printed once, counted thrice
      assertThat(errors.toString(StandardCharsets.UTF_8).split("400 Invalid input")).hasSize(2);
    }
  }

  @Test
  void theTokenIsSentOnlyWhereAsked() throws Exception {
    try (FakeServices fake = new FakeServices(body -> FakeServices.chose(null, "d"))) {
      ServicesClient client = new ServicesClient(json, "tok", 4, err, 1);
      client.callNow("POST", fake.url().resolve("/api/v1/decisions"), json.readTree("{}"), true);
      client.callNow(
          "POST", fake.url().resolve("/api/v1/events"), json.readTree("{\"events\":[]}"), false);
      assertThat(fake.to("POST", "/api/v1/decisions").get(0).authorization())
          .isEqualTo("Bearer tok");
      assertThat(fake.to("POST", "/api/v1/events").get(0).authorization()).isNull();
    }
  }

  @Test
  void noMoreThanTheBoundIsInFlight() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    try (FakeServices fake =
        new FakeServices(
            body -> {
              max.accumulateAndGet(now.incrementAndGet(), Math::max);
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              now.decrementAndGet();
              return FakeServices.chose(null, "d");
            })) {
      ServicesClient client = new ServicesClient(json, null, 3, err, 1);
      List<CompletableFuture<JsonNode>> all = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        all.add(
            client.call(
                "POST", fake.url().resolve("/api/v1/decisions"), json.readTree("{}"), false));
      }
      all.forEach(CompletableFuture::join);
      assertThat(max.get()).isBetween(1, 3);
    }
  }

  @Test
  void aServiceThatIsNotThereIsNotReady() {
    ServicesClient client = new ServicesClient(json, null, 1, err, 1);
    assertThat(client.ready(java.net.URI.create("http://127.0.0.1:9"))).isFalse();
  }
}
