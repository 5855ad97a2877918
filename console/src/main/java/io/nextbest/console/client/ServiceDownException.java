package io.nextbest.console.client;

/** A service did not answer (refused, timed out) or answered with a 5xx. */
public class ServiceDownException extends RuntimeException {
  private final Service service;

  public ServiceDownException(Service service, String why) {
    super(service.label() + " is not answering (" + why + ")", null, false, false);
    this.service = service;
  }

  public Service service() {
    return service;
  }
}
