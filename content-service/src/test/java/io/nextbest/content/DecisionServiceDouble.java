package io.nextbest.content;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP endpoint answering {@code POST /api/v1/decisions} as decision-service does, with the
 * answer each test sets per customer (campaign, none, control, slow, or 503). The real
 * decision-service answers the same call in the e2e suite.
 */
public class DecisionServiceDouble implements QuarkusTestResourceLifecycleManager {
  /** How decision-service answers for a customer. */
  public record Answer(String campaignId, boolean control, long delayMs, int status) {}

  public static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
  private static final Pattern CUSTOMER = Pattern.compile("\"customerId\"\\s*:\\s*\"([^\"]*)\"");
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.createContext(
        "/api/v1/decisions",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Matcher m = CUSTOMER.matcher(body);
          String customer = m.find() ? m.group(1) : "";
          Answer a = ANSWERS.getOrDefault(customer, new Answer(null, false, 0, 200));
          try {
            Thread.sleep(a.delayMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          String json =
              "{\"decisionId\":\"d:%s\",\"campaignId\":%s,\"control\":%s,\"rule\":\"thompson\"}"
                  .formatted(
                      UUID.randomUUID(),
                      a.campaignId() == null ? "null" : "\"" + a.campaignId() + "\"",
                      a.control());
          byte[] out = json.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(a.status(), out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    return Map.of(
        "quarkus.rest-client.decision-service.url",
        "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
