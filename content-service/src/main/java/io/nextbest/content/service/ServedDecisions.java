package io.nextbest.content.service;

import io.nextbest.content.ContentConfig;
import io.nextbest.content.repository.ImpressionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which customer each decision's content was shown to, so that a frontend event (a click, a
 * conversion) is accepted only for a decision of the same customer: a public caller cannot credit
 * or poison another customer's decisions. The decisions this replica served lately are kept in a
 * bounded map ({@code nextbest.content.served-decisions}, least recently served dropped first); any
 * other is looked up in the impressions table, which the outcomes stream fills within moments of
 * the answer (an event that arrives before its impression row is looked up again briefly).
 */
@ApplicationScoped
public class ServedDecisions {
  private static final int LOOKUPS = 4;
  private static final Duration LOOKUP_PAUSE = Duration.ofMillis(250);

  private final ImpressionRepository impressions;
  private final Map<String, String> recent;

  public ServedDecisions(ImpressionRepository impressions, ContentConfig config) {
    this.impressions = impressions;
    int capacity = config.servedDecisions();
    this.recent =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers that {@code decisionId}'s content was shown to {@code customerId}. */
  public void served(String decisionId, String customerId) {
    synchronized (recent) {
      recent.put(decisionId, customerId);
    }
  }

  /** Whether {@code decisionId}'s content was shown to {@code customerId}. */
  public Uni<Boolean> servedTo(String decisionId, String customerId) {
    String known;
    synchronized (recent) {
      known = recent.get(decisionId);
    }
    if (known != null) {
      return Uni.createFrom().item(known.equals(customerId));
    }
    return lookUp(decisionId, customerId, LOOKUPS);
  }

  private Uni<Boolean> lookUp(String decisionId, String customerId, int left) {
    return impressions
        .customerOf(decisionId)
        .chain(
            shownTo -> {
              if (shownTo != null) {
                return Uni.createFrom().item(customerId.equals(shownTo));
              }
              if (left <= 1) {
                return Uni.createFrom().item(false);
              }
              return Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(LOOKUP_PAUSE)
                  .chain(() -> lookUp(decisionId, customerId, left - 1));
            });
  }
}
