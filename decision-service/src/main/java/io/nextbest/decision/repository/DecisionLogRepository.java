package io.nextbest.decision.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.decision.domain.LoggedDecision;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;

/** The decision log. */
@ApplicationScoped
public class DecisionLogRepository implements PanacheRepositoryBase<LoggedDecision, String> {
  private final Pool pool;

  public DecisionLogRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Logs decisions not logged yet (replays are no-ops) unless their customer was erased since they
   * were made; answers how many were new.
   */
  public Uni<Integer> logAll(List<DecisionLogRow> decisions) {
    return BatchInsert.run(
        pool,
        "insert into decision_log (decision_id, moment_id, customer_id, campaign_id, channel,"
            + " placement, propensity, policy_version, control, candidates, features,"
            + " decided_at, window_days) select $1, $2, $3, $4, $5, $6, $7::double precision,"
            + " $8, $9::boolean, $10, $11::text::jsonb, $12::timestamptz, $13::int where "
            + ErasedCustomers.notErasedAt("$3", "$12::timestamptz")
            + " on conflict (decision_id) do nothing",
        decisions,
        d ->
            Tuple.tuple()
                .addValue(d.id())
                .addValue(d.momentId())
                .addValue(d.customerId())
                .addValue(d.campaignId())
                .addValue(d.channel())
                .addValue(d.placement())
                .addValue(d.propensity())
                .addValue(d.policyVersion())
                .addValue(d.control())
                .addValue(d.candidates())
                .addValue(d.features())
                .addValue(d.decidedAt().atOffset(ZoneOffset.UTC))
                .addValue(d.windowDays()));
  }

  @WithSession
  public Uni<LoggedDecision> byId(String id) {
    return findById(id);
  }

  @WithSession
  public Uni<Long> countForCustomer(String customerId) {
    return count("customerId", customerId);
  }
}
