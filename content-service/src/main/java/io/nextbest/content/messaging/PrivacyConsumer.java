package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.EraseRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Erase requests: the person's impressions and purchase history leave content-service, and the
 * erase is remembered (by the id's hash) so records of theirs still in flight are not stored again.
 */
@ApplicationScoped
public class PrivacyConsumer {
  private final Pool pool;
  private final JsonCodec json;

  public PrivacyConsumer(Pool pool, JsonCodec json) {
    this.pool = pool;
    this.json = json;
  }

  @Incoming("privacy")
  public Uni<Void> onErase(String payload) {
    EraseRequest erase = json.read(payload, EraseRequest.class);
    if (erase.customerId() == null) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(
            pool.withTransaction(
                c ->
                    c.preparedQuery(ErasedCustomers.REMEMBER)
                        .execute(Tuple.of(erase.customerId()))
                        .chain(
                            () ->
                                c.preparedQuery("delete from impressions where customer_id = $1")
                                    .execute(Tuple.of(erase.customerId())))
                        .chain(
                            () ->
                                c.preparedQuery("delete from customer_items where customer_id = $1")
                                    .execute(Tuple.of(erase.customerId())))))
        .replaceWithVoid();
  }
}
