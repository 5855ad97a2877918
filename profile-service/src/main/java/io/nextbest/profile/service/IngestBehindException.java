package io.nextbest.profile.service;

/**
 * New events must wait: ingest holds as much as its budget allows. The message says which limit and
 * is shown to the sender, who retries the same batch later.
 */
public class IngestBehindException extends RuntimeException {
  public IngestBehindException(String detail) {
    super(detail, null, false, false);
  }
}
