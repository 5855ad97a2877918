package io.nextbest.eligibility.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.nextbest.eligibility.service.CampaignView;
import io.nextbest.eligibility.service.EligibilityEngine;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns every profile snapshot into a moment listing the campaigns the customer may receive. The
 * moment id derives from the snapshot id, so a redelivered snapshot yields the same moment and
 * decision-service decides it once. Nothing is written to the database: the moment on Kafka is the
 * record.
 */
@ApplicationScoped
public class MomentEmitter {
  private final CampaignCatalog catalog;
  private final MutinyEmitter<String> moments;
  private final JsonCodec json;

  public MomentEmitter(
      CampaignCatalog catalog, @Channel("moments") MutinyEmitter<String> moments, JsonCodec json) {
    this.catalog = catalog;
    this.moments = moments;
    this.json = json;
  }

  @Incoming("profiles")
  public Uni<Void> onProfile(String payload) {
    if (payload == null) {
      return Uni.createFrom().voidItem(); // tombstone of an erased customer: no moment
    }
    ProfileSnapshot snapshot = json.read(payload, ProfileSnapshot.class);
    return Retries.whileOutage(catalog.current())
        .chain(
            campaigns -> {
              Instant now = Instant.now();
              var result = EligibilityEngine.evaluate(campaigns, snapshot, null, null, now);
              if (result.eligible().isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              Moment moment =
                  new Moment(
                      "m:" + snapshot.id(),
                      Moment.TYPE,
                      snapshot.customerId(),
                      now,
                      snapshot.id(),
                      result.eligible().stream().map(CampaignView::asEligible).toList());
              return Retries.whileOutage(
                  moments.sendMessage(
                      KeyedMessages.keyed(moment.customerId(), json.write(moment))));
            });
  }
}
