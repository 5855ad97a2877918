package io.nextbest.content.repository;

import io.nextbest.content.domain.CustomerDecision;
import io.nextbest.content.domain.PlacementDefault;
import io.nextbest.content.domain.Template;
import io.nextbest.events.Decision;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;

/** Templates, placement defaults and the latest decision per customer and placement. */
@ApplicationScoped
public class ContentRepository {

  /**
   * Records a decision as the customer's latest at its placement, unless a later one is stored.
   * Replays of the same decision change nothing.
   */
  @WithTransaction
  public Uni<Integer> recordDecision(Decision d) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into customer_decisions (customer_id, placement, decision_id,"
                            + " campaign_id, decided_at) values (:customer, :placement, :decision,"
                            + " cast(:campaign as text), :at) on conflict (customer_id, placement)"
                            + " do update set decision_id = excluded.decision_id,"
                            + " campaign_id = excluded.campaign_id, decided_at = excluded.decided_at"
                            + " where customer_decisions.decided_at <= excluded.decided_at")
                    .setParameter("customer", d.customerId())
                    .setParameter("placement", d.placement())
                    .setParameter("decision", d.id())
                    .setParameter("campaign", d.campaignId())
                    .setParameter("at", d.occurredAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate());
  }

  @WithSession
  public Uni<CustomerDecision> latestDecision(String customerId, String placement) {
    return CustomerDecision.findById(new CustomerDecision.Key(customerId, placement));
  }

  @WithSession
  public Uni<Template> template(String campaignId, String placement, String locale) {
    return Template.<Template>find(
            "campaignId = ?1 and placement = ?2 and locale in (?3, 'en') order by"
                + " case when locale = ?3 then 0 else 1 end, variantId",
            campaignId,
            placement,
            locale)
        .firstResult();
  }

  @WithSession
  public Uni<PlacementDefault> placementDefault(String placement) {
    return PlacementDefault.findById(placement);
  }
}
