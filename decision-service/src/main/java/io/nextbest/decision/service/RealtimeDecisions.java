package io.nextbest.decision.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.redis.RunToEnd;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.decision.campaigns.EligibilityClient;
import io.nextbest.decision.rest.DecisionRequest;
import io.nextbest.decision.rest.DecisionResponse;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Real-time decisions: candidates from the request or from eligibility-service, the profile from
 * Redis, read while eligibility answers (decided without it when Redis is down), the decision
 * published on the decisions topic before it is answered (the log is derived from the topic).
 */
@ApplicationScoped
public class RealtimeDecisions {
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  private final EligibilityClient eligibility;
  private final ProfileLookup profiles;
  private final DecisionMaker maker;
  private final MutinyEmitter<String> decisions;
  private final JsonCodec json;

  public RealtimeDecisions(
      @RestClient EligibilityClient eligibility,
      ProfileLookup profiles,
      DecisionMaker maker,
      @Channel("decisions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> decisions,
      JsonCodec json) {
    this.eligibility = eligibility;
    this.profiles = profiles;
    this.maker = maker;
    this.decisions = decisions;
    this.json = json;
  }

  /** The eligible candidates and whether the customer is in the global control group. */
  private record Candidates(List<EligibleCampaign> campaigns, boolean globalControl) {}

  public Uni<DecisionResponse> decide(DecisionRequest request) {
    Uni<Candidates> candidates =
        request.candidates() != null
            ? Uni.createFrom()
                .item(
                    new Candidates(
                        request.candidates().stream()
                            .map(
                                c ->
                                    new EligibleCampaign(
                                        c.campaignId(),
                                        c.priority(),
                                        c.channel(),
                                        c.placement(),
                                        c.control()))
                            .toList(),
                        false))
            : eligibility
                .eligibility(request.customerId(), request.placement(), request.channel())
                .onFailure()
                .transform(RealtimeDecisions::eligibilityFailure)
                .map(a -> fromEligibility(a, request.candidateCampaignIds()));
    // the profile read starts now and runs while eligibility answers; it is never cancelled
    // half-way (a refused eligibility call leaves it to finish on its own)
    Uni<ProfileSnapshot> profile =
        RunToEnd.started(profiles.find(request.customerId())).onFailure().recoverWithNull();
    return candidates.chain(
        c ->
            profile.chain(
                p -> {
                  DecisionMaker.Decided decided =
                      maker.decide(
                          "d:" + UUID.randomUUID(),
                          null,
                          request.customerId(),
                          c.campaigns(),
                          c.globalControl(),
                          p,
                          request.context(),
                          Instant.now());
                  Decision d = decided.decision();
                  return decisions
                      .sendMessage(KeyedMessages.keyed(d.customerId(), json.write(d)))
                      .ifNoItem()
                      .after(PUBLISH_TIMEOUT)
                      .fail()
                      .onFailure()
                      .transform(f -> new BackingServiceUnavailableException("kafka", f))
                      .replaceWith(() -> response(decided));
                }));
  }

  /** eligibility-service refusing the request is the caller's mistake; anything else, an outage. */
  private static Throwable eligibilityFailure(Throwable f) {
    if (f instanceof WebApplicationException w
        && w.getResponse() != null
        && w.getResponse().getStatus() >= 400
        && w.getResponse().getStatus() < 500) {
      String detail = null;
      try {
        detail = w.getResponse().readEntity(Problem.class).detail();
      } catch (RuntimeException unreadable) {
        // no problem document: the status alone
      }
      return new InvalidInputException(
          "The candidates could not be looked up: "
              + (detail == null
                  ? "eligibility-service answered " + w.getResponse().getStatus()
                  : detail),
          List.of());
    }
    return new BackingServiceUnavailableException("eligibility-service", f);
  }

  private static Candidates fromEligibility(
      EligibilityClient.Answer answer, List<String> restrictTo) {
    Set<String> allowed = restrictTo == null ? null : new HashSet<>(restrictTo);
    if (answer.globalControl()) {
      // held out of everything: logged as a global-control decision when something would have
      // been eligible, so the programme's uplift is measured on comparable moments
      List<EligibleCampaign> heldOut =
          (answer.excluded() == null ? List.<EligibilityClient.Exclusion>of() : answer.excluded())
              .stream()
                  .filter(x -> x.reason() != null && x.reason().startsWith("global control group"))
                  .filter(x -> allowed == null || allowed.contains(x.campaignId()))
                  .map(x -> new EligibleCampaign(x.campaignId(), null, null, null, true))
                  .toList();
      return new Candidates(heldOut, !heldOut.isEmpty());
    }
    List<EligibleCampaign> campaigns =
        (answer.eligible() == null ? List.<EligibilityClient.Eligible>of() : answer.eligible())
            .stream()
                .filter(e -> allowed == null || allowed.contains(e.id()))
                .map(
                    e ->
                        new EligibleCampaign(
                            e.id(),
                            "manual".equals(e.priorityMode()) ? e.priority() : null,
                            e.channel(),
                            e.placement(),
                            e.control()))
                .toList();
    return new Candidates(campaigns, answer.globalControl());
  }

  static DecisionResponse response(DecisionMaker.Decided decided) {
    Decision d = decided.decision();
    var r = decided.result();
    return new DecisionResponse(
        d.id(),
        d.campaignId(),
        d.channel(),
        d.placement(),
        decided.sendAt(),
        d.propensity(),
        d.policyVersion(),
        d.control(),
        r.rule(),
        new DecisionResponse.Uplift(r.upliftMean(), r.upliftSd()),
        r.runnerUp() == null
            ? null
            : new DecisionResponse.RunnerUp(r.runnerUp(), r.runnerUpUplift()),
        r.shadow());
  }
}
