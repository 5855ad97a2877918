package io.nextbest.console.service;

import io.nextbest.console.client.ServiceDownException;
import io.nextbest.console.client.ServiceRefusedException;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * One part of a page and the service that feeds it: its value, or a message saying why it is
 * missing (a service down, a role that may not see it), so the rest of the page still works.
 */
@TemplateData
public record Panel<T>(T value, String problem) {
  private static final Logger LOG = Logger.getLogger(Panel.class);

  public static <T> Uni<Panel<T>> of(Uni<T> value) {
    return value
        .map(v -> new Panel<T>(v, null))
        .onFailure()
        .recoverWithItem(e -> new Panel<T>(null, message(e)));
  }

  public boolean ok() {
    return problem == null;
  }

  /** What a person reads for a failure: the service and what to do, never a stack trace. */
  public static String message(Throwable e) {
    if (e instanceof ServiceDownException down) {
      return down.getMessage() + ". This part shows nothing until it is back; the rest works.";
    }
    if (e instanceof ServiceRefusedException refused) {
      if (refused.status() == 403) {
        return "Your role may not see this (" + refused.service().label() + " refused).";
      }
      if (refused.status() == 401) {
        return "Your session has expired: sign in again.";
      }
      return refused.getMessage();
    }
    LOG.warn("a console panel failed", e);
    return "This part could not be shown.";
  }
}
