package io.nextbest.content.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.ContactSets;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.content.client.DecisionClient;
import io.nextbest.events.Decision;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.Moment;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.FeatureEncoder;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Real-time decisions made in this process, as decision-service makes them: the campaign set
 * eligibility-service published ({@link EdgeCampaigns}) evaluated with the same engine, the
 * customer's contact history read from eligibility-service's Redis sets (plus this replica's own
 * sends not yet recorded there), and the model decision-service published ({@link EdgeModel})
 * deciding with the same {@link Decider}. The decision is published on {@code
 * nextbest.decisions.v1} and acknowledged by the broker before it is answered, so every decision
 * shown is in the log that learning, caps and reports derive from, exactly as decisions made over
 * HTTP. The rules run on the thread that read the contacts (an event loop): each rule's cost is
 * bounded when it is saved ({@code ProfileSchema.MAX_COST}), and a whole evaluation of 100
 * campaigns takes 0.2–0.3 ms ({@code bench/cel-jmh.sh}), less than a hand-off to a worker thread
 * and back. When the edge cannot decide as decision-service would — no fresh model or campaign set,
 * a do-not-contact list too long to publish, or a contact history that is not known to be whole —
 * the answer is empty and the caller asks decision-service over HTTP.
 */
@ApplicationScoped
@Startup
public class EdgeDecisions {
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  /** How far back sends count, as in eligibility-service and decision-service. */
  private static final Duration LOOKBACK = Duration.ofDays(366);

  /** Why a decision was not made here. */
  public enum Fallback {
    NO_MODEL,
    NO_CAMPAIGNS,
    DO_NOT_CONTACT_UNPUBLISHED,
    CONTACTS_UNKNOWN;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final EdgeModel model;
  private final EdgeCampaigns campaigns;
  private final ReactiveRedisDataSource redis;
  private final MutinyEmitter<String> decisions;
  private final JsonCodec json;
  private final RecentSends recent;
  private final Counter decided;
  private final Timer acknowledged;
  private final Map<Fallback, Counter> fallbacks = new EnumMap<>(Fallback.class);

  public EdgeDecisions(
      EdgeModel model,
      EdgeCampaigns campaigns,
      ReactiveRedisDataSource redis,
      @Channel("decisions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> decisions,
      JsonCodec json,
      RecentSends recent,
      MeterRegistry registry) {
    this.model = model;
    this.campaigns = campaigns;
    this.redis = redis;
    this.decisions = decisions;
    this.json = json;
    this.recent = recent;
    this.decided =
        Counter.builder("nextbest.content.decisions")
            .description("real-time decisions of content calls, by where they were made")
            .tag("where", "edge")
            .tag("why", "decided")
            .register(registry);
    this.acknowledged =
        Timer.builder("nextbest.content.edge.publish")
            .description(
                "from publishing an edge decision to the broker's acknowledgement, which the"
                    + " answer waits for")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    for (Fallback f : Fallback.values()) {
      fallbacks.put(
          f,
          Counter.builder("nextbest.content.decisions")
              .description("real-time decisions of content calls, by where they were made")
              .tag("where", "http")
              .tag("why", f.tag())
              .register(registry));
    }
  }

  /** What the edge has to decide with at a moment, or why it has not. */
  public record Ready(EdgeModel.Loaded model, EdgeCampaigns.Loaded campaigns, Fallback missing) {}

  /** Whether the edge can decide now. */
  public Ready ready(Instant now) {
    EdgeModel.Loaded m = model.fresh(now);
    if (m == null) {
      return new Ready(null, null, Fallback.NO_MODEL);
    }
    EdgeCampaigns.Loaded c = campaigns.fresh(now);
    if (c == null) {
      return new Ready(null, null, Fallback.NO_CAMPAIGNS);
    }
    if (c.set().doNotContact() == null) {
      return new Ready(null, null, Fallback.DO_NOT_CONTACT_UNPUBLISHED);
    }
    return new Ready(m, c, null);
  }

  /**
   * Decides for a customer at a placement, or answers null when the edge cannot decide as
   * decision-service would (the caller asks decision-service).
   *
   * @param ready what {@link #ready} found, without a missing part
   * @param profile the customer's snapshot, read while the contacts are (null when unknown)
   * @param contacts the customer's trusted contact history, or null when it is not known whole
   */
  public Uni<DecisionClient.Answer> decide(
      Ready ready,
      String customerId,
      String placement,
      String channel,
      Map<String, Object> context,
      ProfileSnapshot profile,
      List<EligibilityEngine.Contact> contacts,
      Instant now) {
    if (contacts == null) {
      fallbacks.get(Fallback.CONTACTS_UNKNOWN).increment();
      return Uni.createFrom().nullItem();
    }
    EdgeCampaigns.Loaded c = ready.campaigns();
    List<EligibilityEngine.Contact> sends = recent.with(customerId, contacts, now);
    EligibilityResult eligibility =
        EligibilityEngine.evaluate(
            c.rules(),
            new EligibilityEngine.Request(
                customerId,
                profile,
                null,
                placement,
                channel,
                now,
                EligibilityEngine.Mode.REALTIME,
                null),
            new EligibilityEngine.Facts(
                sends, c.set().doNotContact().getOrDefault(customerId, Set.of())));
    Map<String, CampaignAttributes> attributes = new HashMap<>();
    List<EligibleCampaign> candidates = new ArrayList<>();
    boolean globalControl = candidates(eligibility, candidates, attributes);
    // the contact-pressure features from the recorded sends, as decision-service reads them; caps
    // above also count this replica's sends not recorded yet
    List<FeatureEncoder.Send> before = new ArrayList<>(contacts.size());
    for (EligibilityEngine.Contact s : contacts) {
      if (!s.sentAt().isAfter(now)) {
        before.add(new FeatureEncoder.Send(s.campaignId(), s.channel(), s.sentAt()));
      }
    }
    EdgeModel.Loaded m = ready.model();
    Decider.Decided d =
        m.decider()
            .decide(
                new Decider.Request(
                    "d:" + UUID.randomUUID(),
                    null,
                    customerId,
                    candidates,
                    attributes,
                    globalControl,
                    profile,
                    context,
                    before,
                    now,
                    null,
                    exclusions(eligibility)),
                m.inForce(),
                c.campaigns());
    Decision decision = d.decision();
    long started = System.nanoTime();
    return decisions
        .sendMessage(KeyedMessages.keyed(customerId, json.write(decision)))
        .ifNoItem()
        .after(PUBLISH_TIMEOUT)
        .fail()
        .onFailure()
        .transform(f -> new BackingServiceUnavailableException("kafka", f))
        .invoke(
            () -> {
              acknowledged.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              decided.increment();
              if (decision.campaignId() != null && !decision.control()) {
                recent.sent(
                    customerId,
                    new EligibilityEngine.Contact(
                        decision.campaignId(),
                        decision.channel(),
                        // as eligibility-service scores it in the set: milliseconds
                        Instant.ofEpochMilli(decision.occurredAt().toEpochMilli())));
              }
            })
        .replaceWith(
            () ->
                new DecisionClient.Answer(
                    decision.id(), decision.campaignId(), decision.control(), d.result().rule()));
  }

  /** Counts a decision left to decision-service. */
  public void fellBack(Fallback why) {
    fallbacks.get(why).increment();
  }

  /**
   * The customer's contact history from eligibility-service's Redis set, or null when the set is
   * not known to be whole (never rebuilt from PostgreSQL) or cannot be read.
   */
  public Uni<List<EligibilityEngine.Contact>> contacts(String customerId, Instant now) {
    return redis
        .getRedis()
        .send(ContactSets.read(customerId, now.minus(LOOKBACK), "+inf"))
        .map(
            r -> {
              ContactSets.Parsed parsed = ContactSets.parse(r);
              return parsed.trusted() ? parsed.sends() : null;
            })
        .onFailure()
        .recoverWithNull();
  }

  /**
   * The candidates of an eligibility result as decision-service takes them over HTTP; returns
   * whether the customer is held out in the global control group.
   */
  static boolean candidates(
      EligibilityResult eligibility,
      List<EligibleCampaign> out,
      Map<String, CampaignAttributes> attributes) {
    if (eligibility.globalControl()) {
      // held out of everything: logged as a global-control decision when something would have
      // been eligible, so the programme's uplift is measured on comparable moments
      for (EligibilityResult.Exclusion x : eligibility.excluded()) {
        if (x.code() == ExclusionCode.GLOBAL_CONTROL) {
          out.add(new EligibleCampaign(x.campaignId(), null, null, null, true));
        }
      }
      return !out.isEmpty();
    }
    for (EligibilityResult.Eligible e : eligibility.eligible()) {
      CampaignSpec.Attributes a = e.attributes();
      if (a != null) {
        attributes.put(e.id(), new CampaignAttributes(a.category(), a.discountDepth(), a.tags()));
      }
      out.add(
          new EligibleCampaign(
              e.id(),
              "manual".equals(e.priorityMode()) ? e.priority() : null,
              e.channel(),
              e.placement(),
              e.control()));
    }
    return false;
  }

  private static List<Moment.Exclusion> exclusions(EligibilityResult eligibility) {
    List<Moment.Exclusion> out = new ArrayList<>(eligibility.excluded().size());
    for (EligibilityResult.Exclusion x : eligibility.excluded()) {
      out.add(new Moment.Exclusion(x.campaignId(), x.code().name(), x.reason()));
    }
    return Moment.Exclusion.bounded(out);
  }
}
