package io.nextbest.common.rest;

/** Thrown when PostgreSQL, Redis or Kafka cannot be reached; answered with 503 and Retry-After. */
public class BackingServiceUnavailableException extends RuntimeException {
  private final String service;

  public BackingServiceUnavailableException(String service, Throwable cause) {
    super(service + " is unavailable", cause);
    this.service = service;
  }

  public String service() {
    return service;
  }
}
