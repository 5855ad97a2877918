package io.nextbest.profile.repository;

/**
 * One PostgreSQL advisory lock that orders erases against the writes that check for them. A write
 * (a fold of the event log, an acceptance's screening, a profile write) takes it shared before it
 * looks for erased ids and keeps it to its commit; an erase takes it exclusive before it deletes.
 * So a write either commits before the erase starts deleting (and the erase removes what it wrote)
 * or starts after the erase committed (and sees it), never in between. Erases are rare and short:
 * writes wait for one only briefly.
 */
public final class EraseLock {
  private static final long KEY = 0x6e62_6572_6173_65L;

  /** Takes the lock shared, to the end of the transaction; one row. */
  public static final String SHARED =
      "select count(*) from (select pg_advisory_xact_lock_shared(" + KEY + ")) as l";

  /** Takes the lock exclusive, to the end of the transaction; one row. */
  public static final String EXCLUSIVE =
      "select count(*) from (select pg_advisory_xact_lock(" + KEY + ")) as l";

  private EraseLock() {}
}
