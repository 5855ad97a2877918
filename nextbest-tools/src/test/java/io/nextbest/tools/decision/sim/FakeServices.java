package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * profile-service and decision-service as far as the simulator sees them, on one local port: every
 * request is recorded, decisions are answered by a function.
 */
final class FakeServices implements AutoCloseable {
  static {
    // without it each answer waits for the client's delayed ACK (about 40 ms a request)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** A recorded request. */
  record Request(String method, String path, JsonNode body, String authorization) {}

  /** An answer: status and JSON text. */
  record Answer(int status, String body) {}

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger policyReads = new AtomicInteger();
  volatile Function<JsonNode, Answer> decide;
  volatile String mode = "apprentice";

  /** Live mode's learning phase (until {@link #liveAfterReads} ends it). */
  volatile boolean learning;

  /** After this many policy reads the mode reads live; negative: never. */
  volatile int liveAfterReads = -1;

  FakeServices(Function<JsonNode, Answer> decide) throws IOException {
    this.decide = decide;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> to(String method, String path) {
    synchronized (requests) {
      return requests.stream()
          .filter(r -> r.method().equals(method) && r.path().startsWith(path))
          .toList();
    }
  }

  private void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    byte[] raw = x.getRequestBody().readAllBytes();
    JsonNode body = raw.length == 0 ? null : json.readTree(raw);
    requests.add(new Request(method, path, body, x.getRequestHeaders().getFirst("Authorization")));
    Answer a = answer(method, path, body);
    byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      x.getResponseBody().write(out);
    }
    x.close();
  }

  private Answer answer(String method, String path, JsonNode body) {
    if (path.equals("/q/health/ready")) {
      return new Answer(200, "{\"status\":\"UP\"}");
    }
    if (method.equals("PUT") && path.startsWith("/api/v1/profiles/")) {
      return new Answer(200, "{}");
    }
    if (method.equals("POST") && path.equals("/api/v1/events")) {
      return new Answer(
          202, "{\"accepted\":" + body.get("events").size() + ",\"duplicates\":0,\"rejected\":[]}");
    }
    if (method.equals("POST") && path.equals("/api/v1/outcomes")) {
      return new Answer(202, "{\"accepted\":" + body.get("outcomes").size() + "}");
    }
    if (method.equals("POST") && path.equals("/api/v1/decisions")) {
      return decide.apply(body);
    }
    if (method.equals("PUT") && path.equals("/api/v1/policies/current/mode")) {
      mode = body.get("mode").asText();
      learning = "live".equals(mode);
      return new Answer(200, "{\"mode\":\"" + mode + "\",\"learning\":" + learning + "}");
    }
    if (method.equals("GET") && path.equals("/api/v1/policies/current")) {
      int reads = policyReads.incrementAndGet();
      if (liveAfterReads >= 0 && reads > liveAfterReads) {
        mode = "live";
        learning = false;
      }
      // the canary share grows by a quarter with every read until the mode reads live
      double share = "live".equals(mode) && !learning ? 0.25 : Math.min(0.75, 0.25 * reads);
      return new Answer(
          200,
          "{\"mode\":\""
              + mode
              + "\",\"learning\":"
              + learning
              + ",\"modelShare\":"
              + share
              + ",\"version\":\"fake\"}");
    }
    return new Answer(
        404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no " + path + "\"}");
  }

  /** A decision answer choosing {@code campaignId} (null for none). */
  static Answer chose(String campaignId, String decisionId) {
    return new Answer(
        200,
        "{\"decisionId\":\""
            + decisionId
            + "\",\"campaignId\":"
            + (campaignId == null ? "null" : "\"" + campaignId + "\"")
            + ",\"propensity\":1.0,\"rule\":\"fake\",\"policyVersion\":\"fake-1\","
            + "\"control\":false,\"expectedUplift\":{\"mean\":0.5,\"sd\":0.1}}");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
