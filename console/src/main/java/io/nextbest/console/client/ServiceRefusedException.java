package io.nextbest.console.client;

import java.util.List;

/**
 * A service answered with a 4xx problem: the message says what to fix, {@code errors} lists each
 * field's problem (a CEL rule's with its line and column).
 */
public class ServiceRefusedException extends RuntimeException {
  private final Service service;
  private final int status;
  private final List<FieldError> errors;

  /** One field's problem as the service named it. */
  public record FieldError(String field, String message) {}

  public ServiceRefusedException(
      Service service, int status, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.service = service;
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public Service service() {
    return service;
  }

  public int status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
