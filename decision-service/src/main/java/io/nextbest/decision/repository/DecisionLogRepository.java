package io.nextbest.decision.repository;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.decision.domain.LoggedDecision;
import io.nextbest.events.Decision;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;

/** The decision log. */
@ApplicationScoped
public class DecisionLogRepository implements PanacheRepositoryBase<LoggedDecision, String> {
  private final JsonCodec json;

  public DecisionLogRepository(JsonCodec json) {
    this.json = json;
  }

  /** Logs a decision unless already logged; true when it was new. */
  @WithTransaction
  public Uni<Boolean> logIfNew(Decision d) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into decision_log (decision_id, moment_id, customer_id, campaign_id,"
                            + " channel, placement, propensity, policy_version, control, candidates,"
                            + " features, decided_at) values (:id, cast(:moment as text), :customer, cast(:campaign as text),"
                            + " cast(:channel as text), cast(:placement as text), :propensity, :policy, :control,"
                            + " :candidates, cast(cast(:features as text) as jsonb), :at)"
                            + " on conflict (decision_id) do nothing")
                    .setParameter("id", d.id())
                    .setParameter("moment", d.momentId())
                    .setParameter("customer", d.customerId())
                    .setParameter("campaign", d.campaignId())
                    .setParameter("channel", d.channel())
                    .setParameter("placement", d.placement())
                    .setParameter("propensity", d.propensity())
                    .setParameter("policy", d.policyVersion())
                    .setParameter("control", d.control())
                    .setParameter("candidates", json.write(d.candidates()))
                    .setParameter("features", json.write(d.features()))
                    .setParameter("at", d.occurredAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate())
        .map(rows -> rows == 1);
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
