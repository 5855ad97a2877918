package io.nextbest.eligibility.messaging;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.messaging.BatchSender;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.eligibility.service.Eligibility;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.Moment;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Evaluates moments and publishes those with something eligible on {@code nextbest.eligibility.v1},
 * keyed by customer, listing the campaigns left after exclusions (a global-control customer's
 * moment lists the campaigns held out, flagged as global control). Moment ids derive from their
 * cause, so a cause evaluated again yields the same moment and decision-service decides it once.
 */
@ApplicationScoped
public class MomentPublisher {
  /** The outgoing channel of moments. */
  static final String CHANNEL = "moments";

  private final Eligibility eligibility;
  private final MutinyEmitter<String> moments;
  private final JsonCodec json;
  private final BatchSender sender;

  public MomentPublisher(
      Eligibility eligibility,
      @Channel(CHANNEL) MutinyEmitter<String> moments,
      JsonCodec json,
      BatchSender sender) {
    this.eligibility = eligibility;
    this.moments = moments;
    this.json = json;
    this.sender = sender;
  }

  /**
   * A moment to evaluate.
   *
   * @param momentId the moment's id, derived from its cause
   * @param cause the snapshot, event or sweep id
   * @param request the evaluation
   */
  public record Pending(String momentId, String cause, EligibilityEngine.Request request) {}

  /**
   * Evaluates moments together (one catalogue load, one contact-history read for all their
   * customers) and publishes the eligible ones through the producer in one pass; completes once the
   * broker acknowledged every one. Outages are waited out.
   */
  public Uni<Void> publishAll(List<Pending> pending) {
    if (pending.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(
            eligibility.evaluateAll(pending.stream().map(Pending::request).toList()))
        .chain(results -> sendAll(pending, results));
  }

  /** Evaluates and, when something is eligible, publishes the moment. */
  public Uni<Void> emit(Pending p) {
    return emitIfEligible(p.momentId(), p.cause(), p.request()).replaceWithVoid();
  }

  /** Like {@link #emit}; answers whether a moment was published. */
  public Uni<Boolean> emitIfEligible(
      String momentId, String cause, EligibilityEngine.Request request) {
    return Retries.whileOutage(eligibility.evaluate(request))
        .chain(
            result -> {
              Moment moment = moment(momentId, cause, request, result);
              return moment == null
                  ? Uni.createFrom().item(false)
                  : publish(moment).replaceWith(true);
            });
  }

  private Uni<Void> sendAll(List<Pending> pending, List<EligibilityResult> results) {
    List<Moment> out = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      Moment m = moment(p.momentId(), p.cause(), p.request(), results.get(i));
      if (m != null) {
        out.add(m);
      }
    }
    return Retries.whileOutage(
        sender.send(
            CHANNEL,
            out.stream()
                .map(m -> new ProducerRecord<>(Topics.ELIGIBILITY, m.customerId(), json.write(m)))
                .toList()));
  }

  /** The moment to publish for this result, or null when nothing is eligible. */
  private static Moment moment(
      String momentId, String cause, EligibilityEngine.Request request, EligibilityResult result) {
    List<Moment.EligibleCampaign> campaigns =
        result.globalControl()
            ? heldOut(result)
            : result.eligible().stream().map(EligibilityResult.Eligible::asMomentCampaign).toList();
    if (campaigns.isEmpty()) {
      return null;
    }
    return new Moment(
        momentId,
        Moment.TYPE,
        request.customerId(),
        request.now(),
        cause,
        campaigns,
        result.globalControl(),
        exclusions(result));
  }

  /**
   * Why the other campaigns were left out, carried with the moment so the decision's explanation
   * shows the exclusions of its own moment (bounded: see {@link Moment.Exclusion#bounded}).
   */
  static List<Moment.Exclusion> exclusions(EligibilityResult result) {
    List<EligibilityResult.Exclusion> all = result.excluded();
    if (all == null || all.isEmpty()) {
      return List.of();
    }
    return Moment.Exclusion.bounded(
        all.stream()
            .map(
                x ->
                    new Moment.Exclusion(
                        x.campaignId(), x.code() == null ? null : x.code().name(), x.reason()))
            .toList());
  }

  private Uni<Void> publish(Moment moment) {
    return Retries.whileOutage(
        moments.sendMessage(KeyedMessages.keyed(moment.customerId(), json.write(moment))));
  }

  /**
   * The campaigns a global-control customer would have been eligible for: published on a moment
   * flagged as global control, so the decision is logged (nothing is sent) and the programme's
   * uplift can be measured against it.
   */
  private static List<Moment.EligibleCampaign> heldOut(EligibilityResult result) {
    return result.excluded().stream()
        .filter(x -> x.code() == ExclusionCode.GLOBAL_CONTROL)
        .map(x -> new Moment.EligibleCampaign(x.campaignId(), null, null, null, true))
        .toList();
  }
}
