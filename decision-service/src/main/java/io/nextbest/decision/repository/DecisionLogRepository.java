package io.nextbest.decision.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.decision.domain.LoggedDecision;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The decision log. */
@ApplicationScoped
public class DecisionLogRepository implements PanacheRepositoryBase<LoggedDecision, String> {
  private static final String LOG_ALL =
      "insert into decision_log (decision_id, moment_id, customer_id, campaign_id, channel,"
          + " placement, propensity, policy_version, control, candidates, features, decided_at,"
          + " window_days) select u.id, u.moment, u.customer, u.campaign, u.channel, u.placement,"
          + " u.propensity, u.version, u.control, u.candidates, u.features::jsonb, u.decided, u.wd"
          + " from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
          + " $6::text[], $7::float8[], $8::text[], $9::boolean[], $10::text[], $11::text[],"
          + " $12::timestamptz[], $13::int[]) as u(id, moment, customer, campaign, channel,"
          + " placement, propensity, version, control, candidates, features, decided, wd) where "
          + ErasedCustomers.notErasedAt("u.customer", "u.decided")
          + " on conflict (decision_id) do nothing";
  private final Pool pool;

  public DecisionLogRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Logs decisions not logged yet (replays are no-ops) unless their customer was erased since they
   * were made; answers how many were new.
   */
  public Uni<Integer> logAll(List<DecisionLogRow> decisions) {
    int n = decisions.size();
    if (n == 0) {
      return Uni.createFrom().item(0);
    }
    String[] ids = new String[n];
    String[] moments = new String[n];
    String[] customers = new String[n];
    String[] campaigns = new String[n];
    String[] channels = new String[n];
    String[] placements = new String[n];
    Double[] propensities = new Double[n];
    String[] versions = new String[n];
    Boolean[] controls = new Boolean[n];
    String[] candidates = new String[n];
    String[] features = new String[n];
    OffsetDateTime[] decided = new OffsetDateTime[n];
    Integer[] windows = new Integer[n];
    for (int i = 0; i < n; i++) {
      DecisionLogRow d = decisions.get(i);
      ids[i] = d.id();
      moments[i] = d.momentId();
      customers[i] = d.customerId();
      campaigns[i] = d.campaignId();
      channels[i] = d.channel();
      placements[i] = d.placement();
      propensities[i] = d.propensity();
      versions[i] = d.policyVersion();
      controls[i] = d.control();
      candidates[i] = d.candidates();
      features[i] = d.features();
      decided[i] = d.decidedAt().atOffset(ZoneOffset.UTC);
      windows[i] = d.windowDays();
    }
    // one statement for the whole batch: the rows travel as arrays and are unnested server-side
    return pool.preparedQuery(LOG_ALL)
        .execute(
            Tuple.tuple(
                List.of(
                    ids,
                    moments,
                    customers,
                    campaigns,
                    channels,
                    placements,
                    propensities,
                    versions,
                    controls,
                    candidates,
                    features,
                    decided,
                    windows)))
        .map(rows -> rows.rowCount());
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
