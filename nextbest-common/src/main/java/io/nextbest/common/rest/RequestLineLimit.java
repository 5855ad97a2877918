package io.nextbest.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.config.HttpConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses, before any resource sees it, a URL longer than {@code nextbest.http.max-url-length}
 * (414) or one holding a control character such as {@code %00} in its path or query (400), each
 * with a problem document. Ids travel in paths and queries; a NUL byte in one would otherwise reach
 * PostgreSQL, which cannot store it. The HTTP layer itself takes request lines up to {@code
 * quarkus.http.limits.max-initial-line-length}, well above this limit, so the answer is this
 * problem document rather than a bare status.
 */
@ApplicationScoped
public class RequestLineLimit {
  private final int maxUrl;
  private final ObjectMapper mapper;

  public RequestLineLimit(HttpConfig config, ObjectMapper mapper) {
    this.maxUrl = config.maxUrlLength();
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::check);
  }

  private void check(RoutingContext ctx) {
    String uri = ctx.request().uri();
    String path = ctx.request().path();
    if (uri.length() > maxUrl) {
      refuse(
          ctx,
          Problem.of(
              414,
              "URL too long",
              "The URL has "
                  + uri.length()
                  + " characters; send at most "
                  + maxUrl
                  + " (put large inputs in a request body).",
              null));
      return;
    }
    int at = controlCharacter(uri);
    if (at >= 0) {
      refuse(
          ctx,
          Problem.of(
              400,
              "Control character in URL",
              "The URL holds a control character (such as %00) at position "
                  + at
                  + "; ids and parameters may not contain control characters.",
              path != null && controlCharacter(path) < 0 ? path : null));
      return;
    }
    ctx.next();
  }

  /** Position of the first control character, raw or percent-encoded (%00–%1F, %7F), or −1. */
  static int controlCharacter(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return i;
      }
      if (c == '%' && i + 2 < uri.length()) {
        int hi = Character.digit(uri.charAt(i + 1), 16);
        int lo = Character.digit(uri.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          int b = hi * 16 + lo;
          if (b < 0x20 || b == 0x7f) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  private void refuse(RoutingContext ctx, Problem problem) {
    String body;
    try {
      body = mapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(body);
  }
}
