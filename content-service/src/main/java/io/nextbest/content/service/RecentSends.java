package io.nextbest.content.service;

import io.nextbest.common.eligibility.EligibilityEngine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This replica's own sends of the last {@value #KEEP_SECONDS} seconds, per customer: eligibility
 * records a send in the customer's Redis set only once it has read the decision from the topic, so
 * until then a frequency cap evaluated here counts it from this near cache. At most {@value
 * #MAX_CUSTOMERS} customers are held, the oldest going first, and the latest {@value #MAX_SENDS}
 * sends of each.
 */
@ApplicationScoped
public class RecentSends {
  static final int KEEP_SECONDS = 60;
  static final int MAX_CUSTOMERS = 100_000;
  static final int MAX_SENDS = 100;

  private final Map<String, List<EligibilityEngine.Contact>> byCustomer =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<String, List<EligibilityEngine.Contact>> eldest) {
          return size() > MAX_CUSTOMERS;
        }
      };

  /** Remembers a send this replica decided. */
  public synchronized void sent(String customerId, EligibilityEngine.Contact send) {
    List<EligibilityEngine.Contact> sends = byCustomer.remove(customerId);
    List<EligibilityEngine.Contact> kept = new ArrayList<>();
    Instant since = send.sentAt().minus(Duration.ofSeconds(KEEP_SECONDS));
    if (sends != null) {
      for (EligibilityEngine.Contact s : sends) {
        if (s.sentAt().isAfter(since)) {
          kept.add(s);
        }
      }
    }
    kept.add(send);
    if (kept.size() > MAX_SENDS) {
      kept = kept.subList(kept.size() - MAX_SENDS, kept.size());
    }
    byCustomer.put(customerId, List.copyOf(kept));
  }

  /** Forgets a customer (erasure). */
  public synchronized void forget(String customerId) {
    byCustomer.remove(customerId);
  }

  /**
   * The customer's sends read from Redis with this replica's ones of the last {@value
   * #KEEP_SECONDS} seconds before {@code now} that are not among them (the same campaign, channel
   * and time).
   */
  public List<EligibilityEngine.Contact> with(
      String customerId, List<EligibilityEngine.Contact> recorded, Instant now) {
    List<EligibilityEngine.Contact> mine;
    synchronized (this) {
      mine = byCustomer.get(customerId);
    }
    if (mine == null) {
      return recorded;
    }
    Instant since = now.minus(Duration.ofSeconds(KEEP_SECONDS));
    java.util.Set<EligibilityEngine.Contact> known = new java.util.HashSet<>(recorded);
    List<EligibilityEngine.Contact> out = new ArrayList<>(recorded);
    for (EligibilityEngine.Contact s : mine) {
      if (s.sentAt().isAfter(since) && !known.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
