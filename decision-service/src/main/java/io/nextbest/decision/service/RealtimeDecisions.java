package io.nextbest.decision.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.redis.RunToEnd;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.client.EligibilityClient;
import io.nextbest.decision.domain.DecisionRequest;
import io.nextbest.decision.domain.DecisionResponse;
import io.nextbest.events.Decision;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.Moment;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.FeatureEncoder;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private final ContactPressure contacts;
  private final DecisionCounts counts;

  public RealtimeDecisions(
      @RestClient EligibilityClient eligibility,
      ProfileLookup profiles,
      ContactPressure contacts,
      DecisionMaker maker,
      @Channel("decisions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> decisions,
      JsonCodec json,
      DecisionCounts counts) {
    this.counts = counts;
    this.eligibility = eligibility;
    this.profiles = profiles;
    this.contacts = contacts;
    this.maker = maker;
    this.decisions = decisions;
    this.json = json;
  }

  /**
   * The eligible candidates, whether the customer is in the global control group, and the campaigns
   * eligibility-service excluded with their reason (empty when the caller gave the candidates).
   */
  record Candidates(
      List<EligibleCampaign> campaigns, boolean globalControl, List<Moment.Exclusion> excluded) {
    Candidates(List<EligibleCampaign> campaigns, boolean globalControl) {
      this(campaigns, globalControl, List.of());
    }
  }

  /**
   * Decides for a request.
   *
   * @param simulatedBy who asked for a moment other than now (already authorised), else null
   */
  public Uni<DecisionResponse> decide(DecisionRequest request, String simulatedBy) {
    Instant at = request.at() == null ? Instant.now() : request.at();
    Map<String, CampaignAttributes> attributes = new HashMap<>();
    Uni<Candidates> candidates =
        request.candidates() != null
            ? Uni.createFrom()
                .item(
                    new Candidates(
                        request.candidates().stream()
                            .map(
                                c -> {
                                  if (c.attributes() != null) {
                                    attributes.put(c.campaignId(), of(c.attributes()));
                                  }
                                  return new EligibleCampaign(
                                      c.campaignId(),
                                      c.priority(),
                                      c.channel(),
                                      c.placement(),
                                      c.control());
                                })
                            .toList(),
                        false))
            : eligibility
                .eligibility(request.customerId(), request.placement(), request.channel())
                .onFailure()
                .transform(RealtimeDecisions::eligibilityFailure)
                .map(a -> fromEligibility(a, request.candidateCampaignIds(), attributes));
    // the profile and contact reads start now and run while eligibility answers; they are never
    // cancelled half-way (a refused eligibility call leaves them to finish on their own)
    Uni<ProfileSnapshot> profile =
        RunToEnd.started(profiles.find(request.customerId()))
            .onFailure()
            .invoke(() -> counts.fallback(DecisionCounts.PROFILE_UNAVAILABLE))
            .onFailure()
            .recoverWithNull();
    Uni<List<FeatureEncoder.Send>> sends =
        RunToEnd.started(contacts.before(request.customerId(), at))
            .onFailure()
            .invoke(() -> counts.fallback(DecisionCounts.CONTACTS_UNAVAILABLE))
            .onFailure()
            .recoverWithNull();
    return candidates.chain(
        c ->
            Uni.combine()
                .all()
                .unis(profile, sends)
                .asTuple()
                .chain(
                    found -> {
                      Decider.Decided decided =
                          maker.decide(
                              new Decider.Request(
                                  "d:" + UUID.randomUUID(),
                                  null,
                                  request.customerId(),
                                  c.campaigns(),
                                  attributes,
                                  c.globalControl(),
                                  found.getItem1(),
                                  request.context(),
                                  found.getItem2(),
                                  at,
                                  simulatedBy,
                                  c.excluded()));
                      Decision d = decided.decision();
                      return decisions
                          .sendMessage(KeyedMessages.keyed(d.customerId(), json.write(d)))
                          .ifNoItem()
                          .after(PUBLISH_TIMEOUT)
                          .fail()
                          .onFailure()
                          .transform(f -> new BackingServiceUnavailableException("kafka", f))
                          .invoke(() -> counts.published(decided))
                          .replaceWith(() -> response(decided));
                    }));
  }

  static CampaignAttributes of(DecisionRequest.Attributes a) {
    return new CampaignAttributes(a.category(), a.discountDepth(), a.tags());
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

  static Candidates fromEligibility(
      EligibilityClient.Answer answer,
      List<String> restrictTo,
      Map<String, CampaignAttributes> attributes) {
    Set<String> allowed = restrictTo == null ? null : new HashSet<>(restrictTo);
    if (answer.globalControl()) {
      // held out of everything: logged as a global-control decision when something would have
      // been eligible, so the programme's uplift is measured on comparable moments
      List<EligibleCampaign> heldOut =
          (answer.excluded() == null ? List.<EligibilityClient.Exclusion>of() : answer.excluded())
              .stream()
                  .filter(x -> ExclusionCode.GLOBAL_CONTROL.name().equals(x.code()))
                  .filter(x -> allowed == null || allowed.contains(x.campaignId()))
                  .map(x -> new EligibleCampaign(x.campaignId(), null, null, null, true))
                  .toList();
      return new Candidates(heldOut, !heldOut.isEmpty(), exclusions(answer));
    }
    List<EligibleCampaign> campaigns =
        (answer.eligible() == null ? List.<EligibilityClient.Eligible>of() : answer.eligible())
            .stream()
                .filter(e -> allowed == null || allowed.contains(e.id()))
                .map(
                    e -> {
                      if (e.attributes() != null) {
                        attributes.put(e.id(), CampaignInfo.of(e.attributes()));
                      }
                      return new EligibleCampaign(
                          e.id(),
                          "manual".equals(e.priorityMode()) ? e.priority() : null,
                          e.channel(),
                          e.placement(),
                          e.control());
                    })
                .toList();
    return new Candidates(campaigns, answer.globalControl(), exclusions(answer));
  }

  /** eligibility-service's exclusions as the decision keeps them (bounded). */
  static List<Moment.Exclusion> exclusions(EligibilityClient.Answer answer) {
    if (answer.excluded() == null) {
      return List.of();
    }
    return Moment.Exclusion.bounded(
        answer.excluded().stream()
            .filter(Objects::nonNull)
            .map(x -> new Moment.Exclusion(x.campaignId(), x.code(), x.reason()))
            .toList());
  }

  static DecisionResponse response(Decider.Decided decided) {
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
        DecisionResponse.Uplift.of(r.upliftMean(), r.upliftSd()),
        r.runnerUp() == null
            ? null
            : DecisionResponse.RunnerUp.of(r.runnerUp(), r.runnerUpUplift()),
        r.shadow());
  }
}
