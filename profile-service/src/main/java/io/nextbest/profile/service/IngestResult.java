package io.nextbest.profile.service;

import java.util.List;

/**
 * What happened to each event of a batch.
 *
 * @param accepted events written to the event log, to be stored and folded by its consumers
 * @param duplicates events whose id was stored already, or repeated within the batch (ignored)
 * @param rejected events refused, with the reason
 */
public record IngestResult(int accepted, int duplicates, List<Rejection> rejected) {

  /**
   * One refused event.
   *
   * @param index position of the event in the batch
   * @param field the offending field
   * @param reason what is wrong and how to fix it
   */
  public record Rejection(int index, String field, String reason) {}
}
