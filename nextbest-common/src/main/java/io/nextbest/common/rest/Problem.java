package io.nextbest.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details document ({@code application/problem+json}).
 *
 * @param type URI reference identifying the problem kind
 * @param title short summary of the problem kind
 * @param status HTTP status code
 * @param detail what went wrong and what to fix
 * @param instance the request path
 * @param errors per-field errors, when there are several
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  /** Media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * One invalid field.
   *
   * @param field path of the field, e.g. {@code events[3].amount}
   * @param message what is wrong with it
   */
  public record FieldError(String field, String message) {}

  public static Problem of(int status, String title, String detail, String instance) {
    return new Problem(typeFor(status), title, status, detail, instance, null);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, fieldErrors);
  }

  private static String typeFor(int status) {
    return "https://nextbest.io/problems/" + status;
  }
}
