package io.nextbest.eligibility.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.Decision;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The sends per customer ({@code contact_history}), one row per decision sent. */
@ApplicationScoped
public class ContactRepository {
  /**
   * One send.
   *
   * @param customerId to whom
   * @param campaignId which campaign
   * @param channel on which channel
   * @param sentAt when
   */
  public record Send(String customerId, String campaignId, String channel, Instant sentAt) {}

  private final Pool pool;

  public ContactRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores sends not stored yet (idempotent per decision id; nothing for a customer erased since),
   * in one statement; answers the decision ids of all of them the table holds, stored now or
   * earlier.
   */
  public Uni<List<String>> storeAll(List<Decision> sends) {
    return pool.preparedQuery(
            "with inserted as (insert into contact_history"
                + " (decision_id, customer_id, campaign_id, channel, sent_at)"
                + " select d.id, d.customer, d.campaign, d.channel, d.at from unnest($1::text[],"
                + " $2::text[], $3::text[], $4::text[], $5::timestamptz[])"
                + " as d(id, customer, campaign, channel, at) where "
                + ErasedCustomers.notErasedAt("d.customer", "d.at")
                + " on conflict (decision_id) do nothing returning decision_id)"
                + " select decision_id from inserted union"
                + " select decision_id from contact_history where decision_id = any($1)")
        .execute(
            Tuple.of(
                sends.stream().map(Decision::id).toArray(String[]::new),
                sends.stream().map(Decision::customerId).toArray(String[]::new),
                sends.stream().map(Decision::campaignId).toArray(String[]::new),
                sends.stream().map(Decision::channel).toArray(String[]::new),
                sends.stream()
                    .map(d -> d.occurredAt().atOffset(ZoneOffset.UTC))
                    .toArray(OffsetDateTime[]::new)))
        .map(
            rows -> {
              List<String> ids = new ArrayList<>(rows.size());
              for (Row r : rows) {
                ids.add(r.getString(0));
              }
              return ids;
            });
  }

  /** The sends of these customers after {@code since}. */
  public Uni<List<Send>> since(List<String> customerIds, Instant since) {
    return pool.preparedQuery(
            "select customer_id, campaign_id, channel, sent_at from contact_history"
                + " where customer_id = any($1) and sent_at > $2")
        .execute(Tuple.of(customerIds.toArray(String[]::new), since.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              List<Send> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new Send(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getOffsetDateTime(3).toInstant()));
              }
              return out;
            });
  }

  /** Deletes the customer's sends. */
  public Uni<Void> deleteForCustomer(String customerId) {
    return pool.preparedQuery("delete from contact_history where customer_id = $1")
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }
}
