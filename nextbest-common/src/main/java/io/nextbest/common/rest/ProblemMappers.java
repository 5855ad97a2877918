package io.nextbest.common.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Maps every failure to an RFC 9457 problem: the caller's mistakes to 4xx with a message that says
 * what to fix, outages of PostgreSQL, Redis or Kafka to 503 with Retry-After, and anything else to
 * a 500 that leaks no class names or stack traces.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
  static final String RETRY_AFTER_SECONDS = "5";

  @ServerExceptionMapper
  public Response badJson(JsonParseException e, UriInfo uri) {
    return malformed(e, uri);
  }

  private static Response malformed(JsonProcessingException e, UriInfo uri) {
    var location = e.getLocation();
    String where =
        location == null
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return respond(
        Problem.of(
            400, "Malformed JSON", "The request body is not valid JSON" + where + ".", path(uri)));
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    String field = fieldPath(e);
    return respond(
        Problem.of(
                400,
                "Unknown field",
                "Field '"
                    + field
                    + "' is not part of this request; remove it or check its spelling.",
                path(uri))
            .withErrors(List.of(new Problem.FieldError(field, "unknown field"))));
  }

  @ServerExceptionMapper
  public Response wrongType(InvalidFormatException e, UriInfo uri) {
    String field = fieldPath(e);
    String expected =
        e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
    return respond(
        Problem.of(
                400,
                "Invalid field value",
                "Field '"
                    + field
                    + "' has value '"
                    + e.getValue()
                    + "' but must be "
                    + expected
                    + ".",
                path(uri))
            .withErrors(List.of(new Problem.FieldError(field, "must be " + expected))));
  }

  @ServerExceptionMapper
  public Response mismatch(MismatchedInputException e, UriInfo uri) {
    if (truncated(e)) {
      return malformed(e, uri);
    }
    String field = fieldPath(e);
    String detail =
        field.isEmpty()
            ? "The request body does not have the expected shape."
            : "Field '" + field + "' has the wrong type or shape.";
    return respond(Problem.of(400, "Invalid request body", detail, path(uri)));
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, UriInfo uri) {
    if (truncated(e)) {
      return malformed(e, uri);
    }
    return respond(
        Problem.of(400, "Invalid request body", "The request body could not be read.", path(uri)));
  }

  private static boolean truncated(JsonProcessingException e) {
    return e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input");
  }

  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(leafPath(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    String detail =
        errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
    return respond(Problem.of(400, "Validation failed", detail, path(uri)).withErrors(errors));
  }

  /**
   * A query parameter whose value does not convert to its type is a 404 in JAX-RS; it is the
   * caller's mistake, answered 400 with the parameter and what it accepts. Every other 404 stays.
   */
  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri, ResourceInfo resource) {
    if (e.getCause() != null && resource != null && uri != null) {
      Problem.FieldError bad =
          QueryParameters.unconvertible(resource.getResourceMethod(), uri.getQueryParameters());
      if (bad != null) {
        return respond(
            Problem.of(
                    400,
                    "Invalid query parameter",
                    "Query parameter '" + bad.field() + "' " + bad.message() + ".",
                    path(uri))
                .withErrors(List.of(bad)));
      }
    }
    return http(e, uri);
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    // Quarkus REST wraps body-reading failures: answer them as the JSON problem they are.
    if (e.getCause() instanceof JsonParseException p) {
      return badJson(p, uri);
    }
    if (e.getCause() instanceof UnrecognizedPropertyException p) {
      return unknownField(p, uri);
    }
    if (e.getCause() instanceof InvalidFormatException p) {
      return wrongType(p, uri);
    }
    if (e.getCause() instanceof MismatchedInputException p) {
      return mismatch(p, uri);
    }
    if (e.getCause() instanceof JsonProcessingException p) {
      return otherJson(p, uri);
    }
    if (status >= 500) {
      return unexpected(e, uri);
    }
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Request failed"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    String detail =
        switch (status) {
          case 404 ->
              e.getMessage() != null && !e.getMessage().startsWith("HTTP 404")
                  ? e.getMessage()
                  : "No resource at this path; see /q/openapi for the API.";
          case 405 -> "This path does not accept that HTTP method; see /q/openapi.";
          case 406 -> "This resource cannot produce the requested media type.";
          case 415 -> "Send the body as application/json.";
          default -> e.getMessage();
        };
    return respond(Problem.of(status, title, detail, path(uri)));
  }

  @ServerExceptionMapper
  public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
    return unauthenticated(
        uri, "This API needs a bearer token: send 'Authorization: Bearer <JWT>'.");
  }

  @ServerExceptionMapper
  public Response badToken(AuthenticationFailedException e, UriInfo uri) {
    String why = tokenProblem(e);
    return unauthenticated(
        uri,
        why == null
            ? "The bearer token was not accepted (bad signature, wrong issuer, expired, issued in"
                + " the future or living longer than allowed); ask for a new one."
            : "The bearer token was not accepted: " + why + "; ask for a new one.");
  }

  /**
   * What is wrong with a refused token, in words that name no internals, when the JWT layer or
   * {@link io.nextbest.common.auth.TokenTimes} said so; null when it did not.
   */
  static String tokenProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.nextbest.common.auth.TokenTimes.Refused refused) {
        return refused.getMessage();
      }
      String message = t.getMessage();
      // smallrye-jwt: no principal name (SRJWT07001: no claim in sub, upn or preferred_username)
      if (message != null && message.contains("SRJWT07001")) {
        return "it has no subject claim ('sub') naming the caller";
      }
      if (t instanceof InvalidJwtException jwt) {
        if (jwt.hasExpired()) {
          return "it has expired (exp)";
        }
        if (jwt.hasErrorCode(ErrorCodes.ISSUER_MISSING)
            || jwt.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
          return "its issuer (iss) is not the one this system trusts";
        }
        if (jwt.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
            || jwt.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
          return "its signature does not match a key this system trusts";
        }
        if (jwt.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
          return "it has no expiry (exp)";
        }
        if (jwt.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
          return "it has no subject claim ('sub') naming the caller";
        }
      }
    }
    return null;
  }

  private static Response unauthenticated(UriInfo uri, String detail) {
    Response r = respond(Problem.of(401, "Authentication required", detail, path(uri)));
    return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return respond(
        Problem.of(
            403,
            "Not allowed",
            "The token's roles do not allow this operation; it needs one of the roles this API"
                + " documents (admin, marketer).",
            path(uri)));
  }

  @ServerExceptionMapper
  public Response invalidInput(InvalidInputException e, UriInfo uri) {
    return respond(
        Problem.of(400, "Invalid request", e.getMessage(), path(uri)).withErrors(e.errors()));
  }

  @ServerExceptionMapper
  public Response unavailable(BackingServiceUnavailableException e, UriInfo uri) {
    return outage(e.service(), uri);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (Outages.isOutage(e)) {
      LOG.warnf("backing service unavailable on %s: %s", path(uri), e.toString());
      return outage("A backing service", uri);
    }
    String data = dataError(e);
    if (data != null) {
      // SQLSTATE class 22: a value PostgreSQL cannot hold; its own message stays in the log
      LOG.debugf("value refused by the database on %s: %s", path(uri), e.toString());
      return respond(
          Problem.of(
              400,
              "Value cannot be stored",
              "A value in the request cannot be stored: " + data + ".",
              path(uri)));
    }
    LOG.errorf(e, "unexpected failure on %s", path(uri));
    return respond(
        Problem.of(
            500,
            "Internal error",
            "The request could not be completed; it has been logged.",
            path(uri)));
  }

  /**
   * What kind of value PostgreSQL refused (SQLSTATE class 22) in the cause chain, in words that
   * name no internals, or null.
   */
  static String dataError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String state =
          t instanceof PgException pg
              ? pg.getSqlState()
              : t instanceof SQLException sql ? sql.getSQLState() : null;
      if (state != null && state.startsWith("22")) {
        return switch (state) {
          case "22021", "22P05", "22025" ->
              "a text holds a character that cannot be stored, such as U+0000; remove control"
                  + " characters";
          case "22003" ->
              "a number is out of range; keep amounts and counts within sensible bounds";
          case "22001" -> "a text is longer than its field allows";
          case "22007", "22008" -> "a date or time is out of range";
          default -> "a value is malformed or out of range";
        };
      }
    }
    return null;
  }

  private static Response outage(String service, UriInfo uri) {
    return Response.status(503)
        .type(Problem.MEDIA_TYPE)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .entity(
            Problem.of(
                503,
                "Service unavailable",
                service + " is temporarily unavailable; retry after " + RETRY_AFTER_SECONDS + " s.",
                path(uri)))
        .build();
  }

  /** Builds a problem response with the problem's status. */
  public static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  /** The request path as a problem's {@code instance}: one leading slash, whatever was sent. */
  public static String path(UriInfo uri) {
    return uri == null ? null : "/" + uri.getPath().replaceFirst("^/+", "");
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String leafPath(ConstraintViolation<?> v) {
    // "ingest.batch.events[2].type" -> "events[2].type"; "content.locale" -> "locale": drop the
    // method, and drop the parameter name when the violation is inside a request body.
    List<jakarta.validation.Path.Node> nodes = new java.util.ArrayList<>();
    v.getPropertyPath().forEach(nodes::add);
    List<jakarta.validation.Path.Node> inner =
        nodes.stream()
            .filter(n -> n.getKind() != jakarta.validation.ElementKind.METHOD)
            .filter(n -> n.getKind() != jakarta.validation.ElementKind.PARAMETER)
            .toList();
    if (inner.isEmpty()) {
      return nodes.isEmpty() ? "" : nodes.get(nodes.size() - 1).getName();
    }
    StringBuilder sb = new StringBuilder();
    for (var n : inner) {
      if (n.getName() == null || n.getName().startsWith("<")) {
        continue;
      }
      if (n.getIndex() != null) {
        sb.append('[').append(n.getIndex()).append(']');
      }
      if (!sb.isEmpty()) {
        sb.append('.');
      }
      sb.append(n.getName());
    }
    return sb.toString();
  }
}
