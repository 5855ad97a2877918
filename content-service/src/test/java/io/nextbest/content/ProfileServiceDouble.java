package io.nextbest.content;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP endpoint answering {@code POST /api/v1/profiles/{id}/aliases} as profile-service does,
 * recording each merge asked for (customer, body, Authorization header), with the status each test
 * sets per customer (200 unless told). The real profile-service answers the same call in the e2e
 * suite.
 */
public class ProfileServiceDouble implements QuarkusTestResourceLifecycleManager {
  /** A merge content-service asked for. */
  public record Merge(String customerId, String body, String authorization) {}

  static final List<Merge> MERGES = new CopyOnWriteArrayList<>();
  static final Map<String, Integer> STATUS = new ConcurrentHashMap<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    server.createContext(
        "/api/v1/profiles/",
        exchange -> {
          String path = exchange.getRequestURI().getRawPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = 404;
          String customer = null;
          if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/aliases")) {
            customer =
                URLDecoder.decode(
                    path.substring("/api/v1/profiles/".length(), path.length() - 8),
                    StandardCharsets.UTF_8);
            MERGES.add(
                new Merge(customer, body, exchange.getRequestHeaders().getFirst("Authorization")));
            status = STATUS.getOrDefault(customer, 200);
          }
          String json =
              status == 200
                  ? "{\"customerId\":\"" + customer + "\"}"
                  : "{\"status\":" + status + ",\"title\":\"refused\"}";
          byte[] out = json.getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
          exchange.sendResponseHeaders(status, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    return Map.of(
        "quarkus.rest-client.profile-service.url",
        "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
