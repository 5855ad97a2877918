package io.nextbest.common.rest;

import java.util.List;

/** A request whose content breaks a rule of the API; answered 400 with each field at fault. */
public class InvalidInputException extends RuntimeException {
  private final List<Problem.FieldError> errors;

  public InvalidInputException(String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String field, String message) {
    this("The request has an invalid field.", List.of(new Problem.FieldError(field, message)));
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
