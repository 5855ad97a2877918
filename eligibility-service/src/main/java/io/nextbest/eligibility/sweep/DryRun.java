package io.nextbest.eligibility.sweep;

import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.eligibility.service.Eligibility;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many current customers a campaign would reach: its audience (trigger segment, else every
 * customer) walked page by page and evaluated as a sweep would, without emitting anything.
 */
@ApplicationScoped
public class DryRun {
  private final Audience audience;
  private final Eligibility eligibility;

  public DryRun(Audience audience, Eligibility eligibility) {
    this.audience = audience;
    this.eligibility = eligibility;
  }

  /**
   * The outcome.
   *
   * @param audience the segment walked, or "all customers"
   * @param scanned customers evaluated
   * @param complete false when the scan reached the limit (there may be more customers)
   * @param eligible how many would be eligible now
   * @param control how many of those fall in the campaign's control group
   * @param excluded how many are excluded, by reason
   * @param examples ids of some customers who would be selected (treated or control), at most the
   *     number asked for, in id order
   */
  public record Result(
      String audience,
      long scanned,
      boolean complete,
      long eligible,
      long control,
      Map<String, Long> excluded,
      List<String> examples) {}

  /** Walks at most {@code limit} customers, naming up to {@code examples} who would be selected. */
  public Uni<Result> run(CampaignSpec spec, long limit, int examples) {
    CompiledCampaign compiled = CompiledCampaign.compile(spec, 0);
    String segment = spec.trigger() == null ? null : spec.trigger().segment();
    AtomicLong eligible = new AtomicLong();
    AtomicLong control = new AtomicLong();
    Map<String, Long> excluded = new ConcurrentHashMap<>();
    // the smallest ids seen so far: bounded, and the same answer however the pages interleave
    TreeSet<String> found = new TreeSet<>();
    Instant now = Instant.now();
    return audience
        .walk(
            segment,
            limit,
            page ->
                Multi.createFrom()
                    .iterable(page)
                    .onItem()
                    .transformToUniAndMerge(
                        c ->
                            eligibility
                                .evaluate(
                                    rules ->
                                        new EligibilityEngine.Rules(
                                            List.of(compiled), rules.settings()),
                                    new EligibilityEngine.Request(
                                        c.id(),
                                        c.profile(),
                                        null,
                                        null,
                                        null,
                                        now,
                                        EligibilityEngine.Mode.SWEEP,
                                        spec.id()))
                                .invoke(
                                    r -> {
                                      if (!r.eligible().isEmpty()) {
                                        eligible.incrementAndGet();
                                        keep(found, c.id(), examples);
                                        if (r.eligible().get(0).control()) {
                                          control.incrementAndGet();
                                        }
                                      }
                                      r.excluded()
                                          .forEach(x -> excluded.merge(x.reason(), 1L, Long::sum));
                                    }))
                    .collect()
                    .asList()
                    .replaceWith(true))
        .map(
            visited ->
                new Result(
                    segment == null ? "all customers" : "segment " + segment,
                    visited,
                    visited < limit,
                    eligible.get(),
                    control.get(),
                    new TreeMap<>(excluded),
                    examples(found)));
  }

  private static void keep(TreeSet<String> found, String id, int most) {
    if (most <= 0) {
      return;
    }
    synchronized (found) {
      found.add(id);
      if (found.size() > most) {
        found.pollLast();
      }
    }
  }

  private static List<String> examples(TreeSet<String> found) {
    synchronized (found) {
      return List.copyOf(found);
    }
  }
}
