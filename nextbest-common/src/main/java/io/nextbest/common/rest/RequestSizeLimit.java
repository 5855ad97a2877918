package io.nextbest.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over the HTTP body limit with a 413 problem document
 * naming the limit, before anything reads it (the HTTP layer's own refusal has no body).
 */
@ApplicationScoped
public class RequestSizeLimit {
  private final long maxBytes;
  private final ObjectMapper mapper;

  public RequestSizeLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize max,
      ObjectMapper mapper) {
    this.maxBytes = max.asLongValue();
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
