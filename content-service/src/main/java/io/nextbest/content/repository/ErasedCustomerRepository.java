package io.nextbest.content.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Erased customers ({@code erased_customers}), remembered by the id's hash for {@link
 * ErasedCustomers#HOLD} so impressions and purchases still in flight are not stored after an
 * erasure.
 */
@ApplicationScoped
public class ErasedCustomerRepository {

  /** Remembers that the customer was erased now, in the caller's transaction. */
  public Uni<Void> remember(SqlConnection c, String customerId) {
    return c.preparedQuery(ErasedCustomers.REMEMBER)
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }
}
