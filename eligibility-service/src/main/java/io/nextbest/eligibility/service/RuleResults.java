package io.nextbest.eligibility.service;

import io.nextbest.events.ProfileSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results of campaign rules that read only the profile, kept per customer for the profile snapshot
 * they were computed on. Real-time requests read the same snapshot many times between two changes
 * of the profile, and with a hundred campaigns the rules are most of a request's work. A result is
 * reused only for the same snapshot (customer, version and time) and the same compiled campaign, so
 * a changed profile or an edited campaign is evaluated afresh; rules that read the event or the
 * context (the local hour, the placement) are never kept. At most {@value #MAX_CUSTOMERS} customers
 * are held; past that the whole map starts over.
 */
@ApplicationScoped
public class RuleResults {
  static final int MAX_CUSTOMERS = 100_000;

  private final Map<String, Memo> byCustomer = new ConcurrentHashMap<>();

  /**
   * The results kept for this snapshot under these campaigns, or a fresh memo; null if no profile.
   */
  public Memo of(List<CompiledCampaign> campaigns, ProfileSnapshot profile) {
    if (profile == null || profile.customerId() == null) {
      return null;
    }
    Memo m = byCustomer.get(profile.customerId());
    if (m != null && m.describes(campaigns.size(), profile)) {
      return m;
    }
    if (byCustomer.size() >= MAX_CUSTOMERS) {
      byCustomer.clear();
    }
    m = new Memo(profile.version(), profile.occurredAt(), campaigns.size());
    byCustomer.put(profile.customerId(), m);
    return m;
  }

  /** Forgets a customer (erasure). */
  public void forget(String customerId) {
    byCustomer.remove(customerId);
  }

  int size() {
    return byCustomer.size();
  }

  /** One customer's results, a slot per campaign position; safe to share between threads. */
  public static final class Memo {
    private final long version;
    private final Instant occurredAt;
    private final Slot[] slots;

    private Memo(long version, Instant occurredAt, int campaigns) {
      this.version = version;
      this.occurredAt = occurredAt;
      this.slots = new Slot[campaigns];
    }

    private boolean describes(int campaigns, ProfileSnapshot p) {
      return slots.length == campaigns
          && version == p.version()
          && Objects.equals(occurredAt, p.occurredAt());
    }

    /** The campaign's rule over {@code vars}, from the memo when it was computed for it. */
    boolean rule(int position, CompiledCampaign campaign, Map<String, Object> vars) {
      if (!campaign.rule().profileOnly() || position >= slots.length) {
        return campaign.rule().test(vars);
      }
      Slot s = slots[position];
      if (s != null && s.campaign() == campaign) {
        return s.holds();
      }
      boolean holds = campaign.rule().test(vars);
      slots[position] = new Slot(campaign, holds);
      return holds;
    }
  }

  private record Slot(CompiledCampaign campaign, boolean holds) {}
}
