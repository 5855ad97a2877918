package io.nextbest.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a request whose declared body is over the HTTP body limit with a 413 problem document
 * naming the limit, before anything reads it (the HTTP layer's own refusal has no body).
 */
@ApplicationScoped
public class RequestSizeLimit {
  private final long maxBytes;
  private final ObjectMapper mapper;

  /**
   * @param http the HTTP layer's own settings, whose {@code quarkus.http.limits.max-body-size}
   *     (10240K unless set) is the limit
   */
  public RequestSizeLimit(VertxHttpConfig http, ObjectMapper mapper) {
    this.maxBytes = http.limits().maxBodySize().map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              long declared = declaredLength(ctx.request().getHeader("Content-Length"));
              if (declared <= maxBytes) {
                ctx.next();
                return;
              }
              Problem problem =
                  Problem.of(
                      413,
                      "Request body too large",
                      "The body has "
                          + declared
                          + " bytes; send at most "
                          + maxBytes
                          + " bytes per request (split large batches).",
                      ctx.request().path());
              ctx.response()
                  .setStatusCode(413)
                  .putHeader("Content-Type", Problem.MEDIA_TYPE)
                  .putHeader("Connection", "close")
                  .end(json(problem));
            });
  }

  private String json(Problem problem) {
    try {
      return mapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static long declaredLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
