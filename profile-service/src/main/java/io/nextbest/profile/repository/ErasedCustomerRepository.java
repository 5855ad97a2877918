package io.nextbest.profile.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code erased_customers} table: ids erased, by their hash, with the moment of the erase; and
 * the {@link EraseLock} that orders erases against the writes that check this table.
 */
@ApplicationScoped
public class ErasedCustomerRepository {

  /** Waits for the writes checking for erases to end, and keeps them out to the commit. */
  public Uni<Void> lockForErase() {
    return Panache.getSession()
        .chain(s -> s.createNativeQuery(EraseLock.EXCLUSIVE, Long.class).getSingleResult())
        .replaceWithVoid();
  }

  /** Remembers that the id was erased (as its hash), restarting its hold. */
  public Uni<Void> remember(String customerId) {
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
  public Uni<String> heldUntil(String customerId) {
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

  /**
   * For each of the ids that was erased, the end of its hold, on the caller's connection; no erase
   * can start until the transaction ends ({@link EraseLock}).
   */
  public Uni<Map<String, Instant>> held(SqlConnection conn, Set<String> ids) {
    return conn.query(EraseLock.SHARED)
        .execute()
        .chain(
            () ->
                conn.preparedQuery(ErasedCustomers.HELD)
                    .execute(Tuple.of(ids.toArray(String[]::new))))
        .map(
            rows -> {
              Map<String, Instant> m = new HashMap<>();
              for (Row r : rows) {
                m.put(r.getString(0), r.getOffsetDateTime(1).toInstant());
              }
              return m;
            });
  }
}
