package io.nextbest.profile.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.profile.domain.Customer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Customers with their running aggregates, feature state and consents. */
@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<Customer, String> {

  /**
   * The customer row locked for update, created first if missing. The insert ignores a conflict, so
   * two batches creating the same customer at once both end up holding the same row in turn.
   */
  public Uni<Customer> lockOrCreate(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into customers (customer_id, version, updated_at)"
                            + " values (:id, 0, now()) on conflict (customer_id) do nothing")
                    .setParameter("id", customerId)
                    .executeUpdate())
        .chain(() -> findById(customerId, LockModeType.PESSIMISTIC_WRITE));
  }

  /** Waits for the writes checking for erases to end, and keeps them out to the commit. */
  public Uni<Void> lockForErase() {
    return Panache.getSession()
        .chain(s -> s.createNativeQuery(EraseLock.EXCLUSIVE, Long.class).getSingleResult())
        .replaceWithVoid();
  }

  /** Remembers that the id was erased (as its hash), restarting its hold. */
  public Uni<Void> rememberErased(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(ErasedCustomers.remember(":id"))
                    .setParameter("id", customerId)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * When the hold on an erased id ends, if it holds now; null otherwise. No erase can start until
   * the transaction ends ({@link EraseLock}).
   */
  public Uni<String> erasedHold(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(EraseLock.SHARED, Long.class)
                    .getSingleResult()
                    .chain(
                        () ->
                            s.createNativeQuery(ErasedCustomers.heldNow(":id"), String.class)
                                .setParameter("id", customerId)
                                .getResultList()))
        .map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  /** The customer row locked for update, or null. */
  public Uni<Customer> lock(String customerId) {
    return findById(customerId, LockModeType.PESSIMISTIC_WRITE);
  }
}
