package io.nextbest.console.auth;

/** A form without the CSRF token of this browser: refused with a 403. */
public class CsrfRefusedException extends RuntimeException {
  public CsrfRefusedException() {
    super(
        "This form was not sent from a page of this console (its security token is missing or"
            + " stale). Reload the page and try again.",
        null,
        false,
        false);
  }
}
