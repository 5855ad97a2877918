package io.nextbest.eligibility;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * profile-service's customer directory as sweeps and dry runs read it: {@code GET
 * /api/v1/profiles?after=&limit=} pages the ids in {@link #CUSTOMERS} in order; a profile itself is
 * a 404 (tests cache the profiles in Redis, where the walk looks first).
 */
public class ProfileDirectoryDouble implements QuarkusTestResourceLifecycleManager {
  static final ConcurrentSkipListSet<String> CUSTOMERS = new ConcurrentSkipListSet<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/api/v1/profiles",
        x -> {
          String json;
          int status;
          if ("/api/v1/profiles".equals(x.getRequestURI().getPath())) {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String after = q.getOrDefault("after", "");
            int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
            List<String> page =
                (after.isEmpty() ? CUSTOMERS : CUSTOMERS.tailSet(after, false))
                    .stream().limit(limit).toList();
            String next = page.size() < limit ? null : page.get(page.size() - 1);
            json =
                "{\"customers\":["
                    + String.join(",", page.stream().map(id -> "\"" + id + "\"").toList())
                    + "],\"next\":"
                    + (next == null ? "null" : "\"" + next + "\"")
                    + "}";
            status = 200;
          } else {
            json = "{\"status\":404,\"title\":\"Not Found\"}";
            status = 404;
          }
          byte[] out = json.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(status, out.length);
          x.getResponseBody().write(out);
          x.close();
        });
    server.start();
    return Map.of(
        "quarkus.rest-client.profile-service.url",
        "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          q.put(
              kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
