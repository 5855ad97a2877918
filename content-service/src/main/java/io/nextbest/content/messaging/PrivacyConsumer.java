package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.content.repository.CoPurchaseRepository;
import io.nextbest.content.repository.ErasedCustomerRepository;
import io.nextbest.content.repository.ImpressionRepository;
import io.nextbest.content.service.RecentSends;
import io.nextbest.events.EraseRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Erase requests: the person's impressions, purchase history and recent edge sends leave
 * content-service, and the erase is remembered (by the id's hash) so records of theirs still in
 * flight are not stored again.
 */
@ApplicationScoped
public class PrivacyConsumer {
  private final Pool pool;
  private final JsonCodec json;
  private final ErasedCustomerRepository erased;
  private final ImpressionRepository impressions;
  private final CoPurchaseRepository purchases;
  private final RecentSends recent;

  public PrivacyConsumer(
      Pool pool,
      JsonCodec json,
      ErasedCustomerRepository erased,
      ImpressionRepository impressions,
      CoPurchaseRepository purchases,
      RecentSends recent) {
    this.recent = recent;
    this.pool = pool;
    this.json = json;
    this.erased = erased;
    this.impressions = impressions;
    this.purchases = purchases;
  }

  @Incoming("privacy")
  public Uni<Void> onErase(String payload) {
    EraseRequest erase = json.read(payload, EraseRequest.class);
    if (erase.customerId() == null) {
      return Uni.createFrom().voidItem();
    }
    String customerId = erase.customerId();
    recent.forget(customerId);
    return Retries.whileOutage(
            pool.withTransaction(
                c ->
                    erased
                        .remember(c, customerId)
                        .chain(() -> impressions.deleteForCustomer(c, customerId))
                        .chain(() -> purchases.deleteCustomerItems(c, customerId))))
        .replaceWithVoid();
  }
}
