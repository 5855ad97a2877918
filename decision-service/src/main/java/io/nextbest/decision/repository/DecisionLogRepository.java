package io.nextbest.decision.repository;

import static io.nextbest.common.sql.Columns.booleans;
import static io.nextbest.common.sql.Columns.doubles;
import static io.nextbest.common.sql.Columns.ints;
import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.decision.domain.LoggedDecision;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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
  public Uni<Integer> logAll(List<DecisionLogRow> d) {
    if (d.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    // one statement for the whole batch: the rows travel as arrays and are unnested server-side
    return pool.preparedQuery(LOG_ALL)
        .execute(
            Tuple.tuple(
                List.of(
                    texts(d, DecisionLogRow::id),
                    texts(d, DecisionLogRow::momentId),
                    texts(d, DecisionLogRow::customerId),
                    texts(d, DecisionLogRow::campaignId),
                    texts(d, DecisionLogRow::channel),
                    texts(d, DecisionLogRow::placement),
                    doubles(d, DecisionLogRow::propensity),
                    texts(d, DecisionLogRow::policyVersion),
                    booleans(d, DecisionLogRow::control),
                    texts(d, DecisionLogRow::candidates),
                    texts(d, DecisionLogRow::features),
                    times(d, DecisionLogRow::decidedAt),
                    ints(d, DecisionLogRow::windowDays))))
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
