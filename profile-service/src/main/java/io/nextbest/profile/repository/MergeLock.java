package io.nextbest.profile.repository;

/**
 * One PostgreSQL advisory lock that orders identity merges against the folds of the event log. A
 * fold takes it shared before it resolves aliases and keeps it to its commit; a merge takes it
 * exclusive before it locks any row. So a fold either commits before the merge starts (and the
 * merge re-keys what it stored) or resolves aliases after the merge committed (and stores on the
 * merged customer), never in between, even for an alias whose first events the fold is storing. A
 * fold takes it before the {@link EraseLock}, as a merge does: one order, no deadlock.
 */
public final class MergeLock {
  private static final long KEY = 0x6e62_6d65_7267_65L;

  /** Takes the lock shared, to the end of the transaction; one row. */
  public static final String SHARED =
      "select count(*) from (select pg_advisory_xact_lock_shared(" + KEY + ")) as l";

  /** Takes the lock exclusive, to the end of the transaction; one row. */
  public static final String EXCLUSIVE =
      "select count(*) from (select pg_advisory_xact_lock(" + KEY + ")) as l";

  private MergeLock() {}
}
