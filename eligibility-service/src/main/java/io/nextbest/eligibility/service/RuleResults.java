package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.eligibility.config.RuleResultsConfig;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * context (the local hour, the placement) are never kept. The memos stay within {@code
 * nextbest.rule-results.max-bytes} (32 MiB): a customer's memo takes about {@value #MEMO_BYTES}
 * bytes and {@value #SLOT_BYTES} per campaign, so with more campaigns fewer customers are held;
 * past that the whole map starts over.
 */
@ApplicationScoped
public class RuleResults {
  static final int MEMO_BYTES = 150;
  static final int SLOT_BYTES = 28;

  private final Map<String, Memo> byCustomer = new ConcurrentHashMap<>();
  private final long maxBytes;

  @Inject
  public RuleResults(RuleResultsConfig config) {
    this(config.maxBytes());
  }

  RuleResults(MemorySize maxBytes) {
    this.maxBytes = maxBytes.asLongValue();
  }

  /** Customers held at most with this many campaigns. */
  long maxCustomers(int campaigns) {
    return Math.max(1, maxBytes / (MEMO_BYTES + (long) SLOT_BYTES * campaigns));
  }

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
    if (byCustomer.size() >= maxCustomers(campaigns.size())) {
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
  public static final class Memo implements EligibilityEngine.Memo {
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
    @Override
    public boolean rule(int position, CompiledCampaign campaign, Map<String, Object> vars) {
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
