package io.nextbest.eligibility.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Erased customers ({@code erased_customers}), remembered by the id's hash for {@link
 * ErasedCustomers#HOLD} so records still in flight are not stored after an erasure.
 */
@ApplicationScoped
public class ErasedCustomerRepository {
  private final Pool pool;

  public ErasedCustomerRepository(Pool pool) {
    this.pool = pool;
  }

  /** Remembers that the customer was erased now. */
  public Uni<Void> remember(String customerId) {
    return pool.preparedQuery(ErasedCustomers.REMEMBER)
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }

  /** Those of {@code customerIds} erased within the hold. */
  public Uni<List<String>> heldAmong(List<String> customerIds) {
    return pool.preparedQuery(ErasedCustomers.HELD)
        .execute(Tuple.of(customerIds.toArray(String[]::new)))
        .map(
            rows -> {
              List<String> held = new ArrayList<>(rows.size());
              for (Row r : rows) {
                held.add(r.getString(0));
              }
              return held;
            });
  }
}
