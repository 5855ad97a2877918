package io.nextbest.tools.common;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a request the way a well-behaved client does: a 503 or 429 says "later, nothing lost", so
 * the same request goes again after the service's {@code Retry-After} (or a growing backoff), up to
 * a number of waits; a connection failure is tried again a few times. Completes with the last
 * answer, or with the last connection failure.
 */
public final class PatientSender {
  private static final int CONNECTION_ATTEMPTS = 8;

  private final HttpClient http;
  private final int maxWaits;
  private final AtomicLong waits = new AtomicLong();

  /**
   * @param http the client
   * @param maxWaits most times one request waits for a "later" answer
   */
  public PatientSender(HttpClient http, int maxWaits) {
    this.http = http;
    this.maxWaits = maxWaits;
  }

  /** How many answers asked to come back later, over every request sent. */
  public long waits() {
    return waits.get();
  }

  public CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
    return send(request, 0);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request, int attempt) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              int status = error == null ? response.statusCode() : -1;
              boolean later = status == 503 || status == 429;
              if ((later && attempt < maxWaits)
                  || (status == -1 && attempt < CONNECTION_ATTEMPTS)) {
                if (later) {
                  waits.incrementAndGet();
                }
                return CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(
                            retryAfterMillis(response, attempt), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> send(request, attempt + 1));
              }
              return error == null
                  ? CompletableFuture.completedFuture(response)
                  : CompletableFuture.<HttpResponse<String>>failedFuture(error);
            })
        .thenCompose(f -> f);
  }

  /** The service's Retry-After in milliseconds when it gave seconds, else a growing backoff. */
  static long retryAfterMillis(HttpResponse<String> response, int attempt) {
    if (response != null) {
      var header = response.headers().firstValue("Retry-After");
      if (header.isPresent()) {
        try {
          return Long.parseLong(header.get()) * 1000;
        } catch (NumberFormatException ignored) {
          // a date: fall back to backoff
        }
      }
    }
    return Math.min(10_000, 250L << attempt);
  }
}
