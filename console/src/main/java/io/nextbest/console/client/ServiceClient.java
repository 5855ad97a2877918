package io.nextbest.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.nextbest.console.config.ConsoleConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Calls the four services' APIs with the signed-in user's token, so each service decides what that
 * person may see or change (the console holds no rights of its own). A refused connection, a
 * timeout or a 5xx is a {@link ServiceDownException} the page shows on the panel it feeds; a 4xx
 * problem is a {@link ServiceRefusedException} with the service's own message.
 */
@ApplicationScoped
public class ServiceClient {
  private final ConsoleConfig config;
  private final ObjectMapper json;
  private final HttpClient http;

  public ServiceClient(ConsoleConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A path segment, percent-encoded (customer ids and campaign ids come from people). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter's value, percent-encoded. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public Uni<JsonNode> get(Service service, String path, String token) {
    return send(service, "GET", path, token, null);
  }

  public Uni<JsonNode> post(Service service, String path, String token, Object body) {
    return send(service, "POST", path, token, body);
  }

  public Uni<JsonNode> put(Service service, String path, String token, Object body) {
    return send(service, "PUT", path, token, body);
  }

  public Uni<JsonNode> delete(Service service, String path, String token) {
    return send(service, "DELETE", path, token, null);
  }

  /** The raw answer body of a GET (an export download), refused or down as the others. */
  public Uni<byte[]> download(Service service, String path, String token) {
    HttpRequest request = request(service, "GET", path, token, null);
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
        .onFailure()
        .transform(e -> down(service, e))
        .map(
            r -> {
              if (r.statusCode() >= 300) {
                throw failure(service, r.statusCode(), parse(r.body()));
              }
              return r.body();
            });
  }

  private Uni<JsonNode> send(
      Service service, String method, String path, String token, Object body) {
    HttpRequest request = request(service, method, path, token, body);
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
        .onFailure()
        .transform(e -> down(service, e))
        .map(
            r -> {
              JsonNode answer = parse(r.body());
              if (r.statusCode() >= 300) {
                throw failure(service, r.statusCode(), answer);
              }
              return answer;
            });
  }

  private HttpRequest request(
      Service service, String method, String path, String token, Object body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base(service) + path))
            .timeout(config.readTimeout())
            .header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      try {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("body is not JSON", e);
      }
    }
    return b.build();
  }

  private String base(Service service) {
    String url =
        switch (service) {
          case PROFILE -> config.services().profile();
          case ELIGIBILITY -> config.services().eligibility();
          case DECISION -> config.services().decision();
          case CONTENT -> config.services().content();
        };
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return NullNode.getInstance();
    }
  }

  private static RuntimeException down(Service service, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = "connection timed out";
    } else if (cause instanceof HttpTimeoutException) {
      why = "no answer in time";
    } else if (cause instanceof ConnectException) {
      why = "connection refused";
    } else {
      why = "connection failed";
    }
    return new ServiceDownException(service, why);
  }

  private static RuntimeException failure(Service service, int status, JsonNode problem) {
    if (status >= 500) {
      return new ServiceDownException(service, "answered " + status);
    }
    String detail = problem.path("detail").asText(null);
    if (detail == null) {
      detail = problem.path("title").asText(service.label() + " answered " + status);
    }
    List<ServiceRefusedException.FieldError> errors = new ArrayList<>();
    for (JsonNode e : problem.path("errors")) {
      errors.add(
          new ServiceRefusedException.FieldError(
              e.path("field").asText(""), e.path("message").asText("")));
    }
    return new ServiceRefusedException(service, status, detail, errors);
  }
}
