package io.nextbest.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for decision-service with canned answers carrying attacker-controlled text (a campaign
 * id, a feature name, a mode change's reason); its dead-letter counts answer 503, as when Kafka is
 * down. Started after {@link FakeServices}, so its URL is the one the console calls.
 */
public class FakeDecisionService implements QuarkusTestResourceLifecycleManager {
  static final String EVIL = FakeServices.SCRIPT.replace("'", "\\u0027");
  private HttpServer server;

  @Override
  public int order() {
    return 10;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::answer);
      server.start();
      return Map.of(
          "nextbest.console.services.decision",
          "http://127.0.0.1:" + server.getAddress().getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String interval(double value, double low, double high) {
    return "{\"value\":%s,\"se\":0.1,\"low\":%s,\"high\":%s}".formatted(value, low, high);
  }

  private void answer(HttpExchange x) throws IOException {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      send(x, 401, "{\"status\":401,\"detail\":\"no token\"}");
      return;
    }
    String path = x.getRequestURI().getRawPath();
    String query = x.getRequestURI().getRawQuery();
    switch (path) {
      case "/api/v1/reports/uplift" ->
          send(
              x,
              200,
              ("{\"since\":\"2026-09-05T00:00:00Z\",\"generatedAt\":\"2026-12-03T10:00:00Z\","
                      + "\"programme\":{\"campaignId\":null,\"treated\":{\"decisions\":900},"
                      + "\"control\":{\"decisions\":100},\"uplift\":{\"conversionRate\":%s,"
                      + "\"valuePerDecision\":%s},\"sampleRatio\":{\"alert\":false},"
                      + "\"sequential\":{\"alwaysValidP\":0.04,\"significant\":true}},"
                      + "\"campaigns\":[{\"campaignId\":\"%s\",\"treated\":{\"decisions\":80},"
                      + "\"control\":{\"decisions\":20},\"uplift\":{\"conversionRate\":%s,"
                      + "\"valuePerDecision\":%s},\"sampleRatio\":{\"alert\":true},"
                      + "\"sequential\":{\"alwaysValidP\":0.5,\"significant\":false}}]}")
                  .formatted(
                      interval(0.01, 0.0, 0.02),
                      interval(1.5, 0.5, 2.5),
                      EVIL,
                      interval(0.02, -0.01, 0.05),
                      interval(0.7, -0.2, 1.6)));
      case "/api/v1/reports/daily" ->
          send(
              x,
              200,
              ("{\"from\":\"2026-12-02\",\"to\":\"2026-12-03\",\"days\":[{\"day\":\"2026-12-02\","
                      + "\"byRule\":{\"model\":5,\"exploration\":1,\"manual\":2,\"control\":3}},"
                      + "{\"day\":\"2026-12-03\",\"byRule\":{}}],\"campaigns\":[{\"campaignId\":"
                      + "\"%s\",\"decisions\":8,\"byRule\":{\"model\":5,\"exploration\":1,"
                      + "\"manual\":2},\"explorationShare\":0.125},{\"campaignId\":null,"
                      + "\"decisions\":3,\"byRule\":{\"control\":3},\"explorationShare\":0}],"
                      + "\"programme\":[{\"day\":\"2026-12-02\",\"treated\":8,\"control\":3,"
                      + "\"conversionRate\":%s,\"valuePerDecision\":%s,\"alwaysValidP\":0.2}]}")
                  .formatted(EVIL, interval(0.05, -0.1, 0.2), interval(2.25, 0.25, 4.25)));
      case "/api/v1/policies/current" ->
          send(
              x,
              200,
              ("{\"version\":\"apprentice-v12\",\"mode\":\"apprentice\",\"modeReason\":\"%s\","
                      + "\"modeSince\":\"2026-12-01T00:00:00Z\",\"modelVersion\":12,"
                      + "\"observations\":{\"none\":40},\"encoder\":\"f2-1\",\"evidence\":"
                      + "{\"ready\":false,\"reason\":\"apprentice: 40 of 1000\",\"scorecard\":"
                      + "{\"decisions\":40,\"matchRate\":0.5,\"model\":%s,\"manual\":%s,"
                      + "\"difference\":%s}}}")
                  .formatted(
                      EVIL,
                      interval(1.25, 1.0, 1.5),
                      interval(0.75, 0.5, 1.0),
                      interval(0.5, 0.1, 0.9)));
      case "/api/v1/policies/current/history" ->
          send(
              x,
              200,
              ("[{\"mode\":\"apprentice\",\"previous\":\"live\",\"reason\":\"demoted: %s\","
                      + "\"changedAt\":\"2026-12-01T00:00:00Z\",\"demotion\":true,"
                      + "\"byGuard\":true},{\"mode\":\"live\",\"previous\":\"apprentice\","
                      + "\"reason\":\"promoted\",\"changedAt\":\"2026-11-20T00:00:00Z\","
                      + "\"demotion\":false,\"byGuard\":false}]")
                  .formatted(EVIL));
      case "/api/v1/policies/current/features" ->
          send(
              x,
              200,
              ("{\"encoder\":\"f2-1\",\"modelVersion\":12,\"arms\":[{\"arm\":\"%s\","
                      + "\"observations\":40,\"features\":[{\"feature\":\"%s\",\"coefficient\":"
                      + "-0.75,\"sd\":2.0,\"weight\":1.5}]}]}")
                  .formatted(EVIL, EVIL));
      case "/api/v1/features" -> send(x, 200, "{\"encoder\":\"f2-1\"}");
      case "/api/v1/reports/dead-letters" ->
          send(x, 503, "{\"status\":503,\"detail\":\"Kafka is unavailable\"}");
      case "/api/v1/decisions" -> {
        if (query == null || !query.startsWith("customerId=mallory")) {
          send(x, 200, "{\"items\":[],\"next\":null}");
          return;
        }
        send(
            x,
            200,
            ("{\"customerId\":\"mallory\",\"items\":[{\"decisionId\":\"d:1\",\"campaignId\":"
                    + "\"%s\",\"channel\":\"email\",\"propensity\":0.83,\"policyVersion\":"
                    + "\"thompson-v12\",\"control\":false,\"rule\":\"model\",\"candidates\":"
                    + "[\"%s\",\"spring\"],\"features\":{\"policy\":{\"rule\":\"thompson\","
                    + "\"probabilities\":{\"%s\":0.83,\"spring\":0.1,\"none\":0.07},"
                    + "\"priorities\":{\"spring\":5},\"controls\":[\"spring\"],\"channels\":"
                    + "{\"spring\":\"push\"},\"upliftMean\":1.84,\"upliftSd\":0.61,\"runnerUp\":"
                    + "\"none\",\"runnerUpUplift\":0.0,\"exclusions\":[{\"campaignId\":\"%s\","
                    + "\"code\":\"FREQUENCY_CAP\",\"reason\":\"%s\"}]}},"
                    + "\"decidedAt\":\"2026-12-02T10:00:00Z\","
                    + "\"windowDays\":7,\"conversions\":1,\"conversionValue\":42.5,\"outcomes\":"
                    + "[{\"id\":\"o1\",\"type\":\"impression\",\"occurredAt\":"
                    + "\"2026-12-02T10:05:00Z\"},{\"id\":\"o2\",\"type\":\"conversion\",\"value\":"
                    + "42.5,\"occurredAt\":\"2026-12-02T11:00:00Z\"}]}],\"next\":\"b2xkZXI\"}")
                .formatted(EVIL, EVIL, EVIL, EVIL, EVIL));
      }
      default -> send(x, 404, "{\"status\":404,\"detail\":\"not here\"}");
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }
}
