package io.nextbest.eligibility.domain;

import java.time.OffsetDateTime;

/**
 * A sweep's progress.
 *
 * @param sweepId id
 * @param campaignId campaign swept
 * @param startedAt started
 * @param finishedAt finished, or null while running
 * @param customers customers visited so far
 * @param moments moments emitted so far
 * @param error why it stopped early, or null
 */
public record SweepStatus(
    String sweepId,
    String campaignId,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    long customers,
    long moments,
    String error) {}
