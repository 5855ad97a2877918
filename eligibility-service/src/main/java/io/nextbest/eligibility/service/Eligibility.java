package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Evaluates one request against the current catalogue and the customer's contact history. Rules are
 * evaluated on a worker thread: a costly rule (each is held to an evaluation budget when saved,
 * {@code ProfileSchema#MAX_COST}) never holds the event loop that serves other requests. Real
 * evaluations are counted ({@link EvaluationCounts}); dry runs are not.
 */
@ApplicationScoped
public class Eligibility {
  private final CampaignCatalog catalog;
  private final ContactHistory contacts;
  private final RuleResults ruleResults;
  private final EvaluationCounts counts;

  public Eligibility(
      CampaignCatalog catalog,
      ContactHistory contacts,
      RuleResults ruleResults,
      EvaluationCounts counts) {
    this.catalog = catalog;
    this.contacts = contacts;
    this.ruleResults = ruleResults;
    this.counts = counts;
  }

  /** Evaluates one request; results of profile-only rules are kept for the customer's snapshot. */
  @WithSpan("nextbest.eligibility.evaluate")
  public Uni<EligibilityResult> evaluate(EligibilityEngine.Request request) {
    return catalog
        .current()
        .chain(
            loaded ->
                evaluate(
                    loaded,
                    loaded.rules(),
                    request,
                    ruleResults.of(loaded.rules().campaigns(), request.profile())))
        .invoke(r -> counts.counted(request.mode(), r));
  }

  /**
   * Evaluates many requests against one catalogue load, their customers' sends read together; the
   * results come in the requests' order.
   */
  @WithSpan("nextbest.eligibility.evaluate-all")
  public Uni<List<EligibilityResult>> evaluateAll(List<EligibilityEngine.Request> requests) {
    if (requests.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Instant earliest =
        requests.stream().map(EligibilityEngine.Request::now).min(Instant::compareTo).orElseThrow();
    List<String> customers = requests.stream().map(EligibilityEngine.Request::customerId).toList();
    return catalog
        .current()
        .chain(
            loaded ->
                Uni.combine()
                    .all()
                    .unis(
                        contacts.ofAll(customers, earliest),
                        catalog.doNotContact(loaded, customers))
                    .asTuple()
                    // rules run on a worker thread, never on the event loop that serves requests
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(
                        facts ->
                            requests.stream()
                                .map(
                                    r ->
                                        EligibilityEngine.evaluate(
                                            loaded.rules(),
                                            r,
                                            new EligibilityEngine.Facts(
                                                facts.getItem1().get(r.customerId()),
                                                facts
                                                    .getItem2()
                                                    .getOrDefault(r.customerId(), Set.of()))))
                                .toList()))
        .invoke(
            results -> {
              for (int i = 0; i < results.size(); i++) {
                counts.counted(requests.get(i).mode(), results.get(i));
              }
            });
  }

  /** Evaluates campaigns that need not be saved (dry runs) under the current settings. */
  public Uni<EligibilityResult> evaluate(
      java.util.function.Function<EligibilityEngine.Rules, EligibilityEngine.Rules> rules,
      EligibilityEngine.Request request) {
    return catalog
        .current()
        .chain(loaded -> evaluate(loaded, rules.apply(loaded.rules()), request, null));
  }

  private Uni<EligibilityResult> evaluate(
      CampaignCatalog.Loaded loaded,
      EligibilityEngine.Rules rules,
      EligibilityEngine.Request request,
      RuleResults.Memo memo) {
    return Uni.combine()
        .all()
        .unis(
            contacts.of(request.customerId(), request.now()),
            catalog.doNotContact(loaded, List.of(request.customerId())))
        .asTuple()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            facts ->
                EligibilityEngine.evaluate(
                    rules,
                    request,
                    new EligibilityEngine.Facts(
                        facts.getItem1(),
                        facts.getItem2().getOrDefault(request.customerId(), Set.of())),
                    memo));
  }
}
