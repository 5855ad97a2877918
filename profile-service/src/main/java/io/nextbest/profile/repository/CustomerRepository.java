package io.nextbest.profile.repository;

import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.service.Aggregate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;

/** Customers and their running aggregates. */
@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<Customer, String> {

  /**
   * Adds the aggregate of newly accepted events to the customer, creating the customer if needed,
   * and bumps its version. One statement, so concurrent batches for one customer serialise on the
   * row lock and never lose an increment.
   */
  public Uni<Customer> addEvents(String customerId, Aggregate agg) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into customers (customer_id, event_count, purchase_count, monetary,"
                            + " first_event_at, last_event_at, version, updated_at)"
                            + " values (:id, :events, :purchases, :monetary, :first, :last, 1, now())"
                            + " on conflict (customer_id) do update set"
                            + " event_count = customers.event_count + excluded.event_count,"
                            + " purchase_count = customers.purchase_count + excluded.purchase_count,"
                            + " monetary = customers.monetary + excluded.monetary,"
                            + " first_event_at = least(customers.first_event_at, excluded.first_event_at),"
                            + " last_event_at = greatest(customers.last_event_at, excluded.last_event_at),"
                            + " version = customers.version + 1, updated_at = now()")
                    .setParameter("id", customerId)
                    .setParameter("events", agg.events())
                    .setParameter("purchases", agg.purchases())
                    .setParameter("monetary", agg.monetary())
                    .setParameter("first", agg.first().atOffset(ZoneOffset.UTC))
                    .setParameter("last", agg.last().atOffset(ZoneOffset.UTC))
                    .executeUpdate())
        .chain(() -> findById(customerId));
  }
}
