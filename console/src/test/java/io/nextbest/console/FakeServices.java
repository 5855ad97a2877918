package io.nextbest.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for profile-, eligibility- and content-service on one local port, with canned answers
 * that carry attacker-controlled text (those of the Content, Segments and dry-run pages in {@link
 * FakeInsightServices}); decision-service is pointed at a closed port, so the console meets a
 * service that is down. Every call must carry a bearer token.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {
  static final String SCRIPT = "<script>alert('x')</script>";
  private static final AtomicInteger ERASED = new AtomicInteger();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::answer);
      server.start();
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      return Map.of(
          "nextbest.console.services.profile", url,
          "nextbest.console.services.eligibility", url,
          "nextbest.console.services.content", url,
          "nextbest.console.services.decision", "http://127.0.0.1:" + closed);
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

  private void answer(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getRawPath();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if ("/_erased".equals(path)) {
      send(x, 200, "{\"erased\":" + ERASED.get() + "}");
      return;
    }
    if (auth == null || !auth.startsWith("Bearer ")) {
      send(x, 401, "{\"status\":401,\"detail\":\"no token\"}");
      return;
    }
    String evil = SCRIPT.replace("'", "\\u0027");
    switch (method + " " + path) {
      case "GET /api/v1/campaigns" ->
          send(
              x,
              200,
              "[{\"campaign\":{\"id\":\"evil\",\"name\":\""
                  + evil
                  + "\",\"status\":\"active\",\"channels\":[\"email\"],\"priorityMode\":\"manual\","
                  + "\"priority\":5,\"cap\":{\"max\":2,\"days\":7},\"controlPercent\":10.0},"
                  + "\"version\":3}]");
      case "POST /api/v1/campaigns/validate" -> {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (body.contains("&&&")) {
          send(
              x,
              400,
              "{\"status\":400,\"detail\":\"The campaign is not valid.\",\"errors\":[{\"field\":"
                  + "\"rule\",\"message\":\"line 1, column 6: Syntax error: extraneous input\"}]}");
        } else {
          send(x, 200, "{\"valid\":true}");
        }
      }
      case "GET /api/v1/profiles/mallory" ->
          send(
              x,
              200,
              "{\"customerId\":\"mallory\",\"version\":2,\"attributes\":{\"name\":\""
                  + evil
                  + "\"},\"consents\":{\"email\":true},\"predictions\":{},\"features\":{},"
                  + "\"segments\":[\"vip\"]}");
      case "GET /api/v1/eligibility/mallory" ->
          send(
              x,
              200,
              "{\"customerId\":\"mallory\",\"globalControl\":false,\"eligible\":[],\"excluded\":"
                  + "[{\"campaignId\":\"evil\",\"code\":\"RULE\",\"reason\":\"rule is false\"}]}");
      case "DELETE /api/v1/profiles/mallory" -> {
        ERASED.incrementAndGet();
        send(x, 202, "");
      }
      default -> {
        if (!FakeInsightServices.answer(x)) {
          send(x, 404, "{\"status\":404,\"detail\":\"not here\"}");
        }
      }
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
    x.close();
  }
}
