package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulator's HTTP calls: a bounded number in flight, a 503 (or a refused connection) retried
 * with the same body after its {@code Retry-After}, any other non-2xx answer printed once per
 * distinct problem and counted. A failed call completes with null; the run goes on.
 */
public final class ServicesClient {
  private static final int MAX_ATTEMPTS = 12;
  private static final int MAX_PRINTED = 20;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ObjectMapper json;
  private final String token;
  private final Semaphore inFlight;
  private final PrintStream err;
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final LongAdder retries = new LongAdder();
  private final AtomicInteger printed = new AtomicInteger();
  private final long baseDelayMillis;

  /**
   * @param token bearer token sent where {@code auth} is asked for, or null
   * @param inFlight requests in flight at most
   * @param baseDelayMillis first back-off when a 503 names no Retry-After (doubled per attempt)
   */
  public ServicesClient(
      ObjectMapper json, String token, int inFlight, PrintStream err, long baseDelayMillis) {
    this.json = json;
    this.token = token;
    this.inFlight = new Semaphore(inFlight);
    this.err = err;
    this.baseDelayMillis = baseDelayMillis;
  }

  /**
   * Sends a request once a slot is free (blocking the caller until then).
   *
   * @param method GET, PUT or POST
   * @param body JSON body, or null
   * @param auth send the bearer token
   * @return the answer's JSON body (an empty object for an empty body), or null after a failure
   */
  public CompletableFuture<JsonNode> call(String method, URI uri, JsonNode body, boolean auth) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(null);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (auth && token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = b.build();
    return attempt(request, 1).whenComplete((r, e) -> inFlight.release());
  }

  /** The same call, waited for. */
  public JsonNode callNow(String method, URI uri, JsonNode body, boolean auth) {
    return call(method, uri, body, auth).join();
  }

  private CompletableFuture<JsonNode> attempt(HttpRequest request, int attempt) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              int status = error == null ? response.statusCode() : -1;
              if (status >= 200 && status < 300) {
                return CompletableFuture.completedFuture(parse(response.body()));
              }
              if ((status == 503 || status == -1) && attempt < MAX_ATTEMPTS) {
                retries.increment();
                return CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(
                            delay(response, attempt), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> attempt(request, attempt + 1));
              }
              fail(request, status, error, response);
              return CompletableFuture.<JsonNode>completedFuture(null);
            })
        .thenCompose(f -> f);
  }

  private long delay(HttpResponse<String> response, int attempt) {
    if (response != null) {
      var header = response.headers().firstValue("Retry-After");
      if (header.isPresent()) {
        try {
          return Math.min(30_000, Long.parseLong(header.get().trim()) * 1000);
        } catch (NumberFormatException dateForm) {
          // an HTTP date: back off instead
        }
      }
    }
    return Math.min(10_000, baseDelayMillis << Math.min(attempt - 1, 10));
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode().put("text", body);
    }
  }

  private void fail(
      HttpRequest request, int status, Throwable error, HttpResponse<String> response) {
    // a profile's path names the customer: one kind of failure for all of them
    String what =
        request.method()
            + " "
            + request.uri().getPath().replaceFirst("^/api/v1/profiles/.*", "/api/v1/profiles/{id}");
    String why;
    if (status == -1) {
      why = "no answer after " + MAX_ATTEMPTS + " attempts: " + rootMessage(error);
    } else if (status == 503) {
      why = "503 after " + MAX_ATTEMPTS + " attempts: " + detail(response.body());
    } else {
      why = status + " " + detail(response.body());
    }
    count(what + " → " + why);
  }

  /** Counts a failure; the first of each kind is printed, up to {@value #MAX_PRINTED} kinds. */
  public void count(String failure) {
    LongAdder n = failures.computeIfAbsent(failure, k -> new LongAdder());
    n.increment();
    if (n.sum() == 1) {
      int kinds = printed.incrementAndGet();
      if (kinds <= MAX_PRINTED) {
        err.println();
        err.println("simulate: " + failure);
      } else if (kinds == MAX_PRINTED + 1) {
        err.println();
        err.println("simulate: more kinds of failure, counted in the summary and the JSON");
      }
    }
  }

  /** The problem's detail and field errors, or the body's start when it is not a problem. */
  String detail(String body) {
    try {
      JsonNode p = json.readTree(body);
      StringBuilder b = new StringBuilder();
      b.append(p.path("title").asText(""));
      String detail = p.path("detail").asText("");
      if (!detail.isEmpty()) {
        b.append(b.length() > 0 ? ": " : "").append(detail);
      }
      for (JsonNode e : p.path("errors")) {
        b.append(" [")
            .append(e.path("field").asText())
            .append(": ")
            .append(e.path("message").asText(e.path("reason").asText()))
            .append("]");
      }
      if (b.length() > 0) {
        return b.toString();
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through to the raw text
    }
    String text = body == null ? "" : body.strip();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
  }

  /** Failures by kind, in order. */
  public Map<String, Long> failures() {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long failureCount() {
    return failures.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long retries() {
    return retries.sum();
  }

  /** Whether {@code base}'s readiness check answers 200. */
  public boolean ready(URI base) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
