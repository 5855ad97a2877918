package io.nextbest.content.service;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.redis.RunToEnd;
import io.nextbest.content.client.DecisionClient;
import io.nextbest.content.messaging.OutcomePublisher;
import io.nextbest.content.recs.Recommendations;
import io.nextbest.content.template.CompiledTemplate;
import io.nextbest.content.template.ContentCatalog;
import io.nextbest.content.template.Placement;
import io.nextbest.content.template.TemplateModel;
import io.nextbest.events.Outcome;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.variant.VariantChooser;
import io.quarkus.qute.TemplateException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The frontend call: the profile from Redis and a real-time decision in parallel — made in this
 * process from the artifacts the owners publish ({@link EdgeDecisions}) when the edge can, else by
 * decision-service over HTTP (which asks eligibility-service) — then the campaign's template, a
 * variant by Thompson sampling, the locale by its fallback chain, the render, and an impression on
 * the outcomes topic. When nothing is eligible, the decision is none or a control, or the decision
 * is not made within the placement's budget, the placement's default content is served; every
 * response and every fallback is counted ({@link ContentCounts}).
 */
@ApplicationScoped
public class ContentService {
  private static final Logger LOG = Logger.getLogger(ContentService.class);

  private final ContentCatalog catalogue;
  private final ProfileLookup profiles;
  private final DecisionClient decisions;
  private final Recommendations recommendations;
  private final OutcomePublisher outcomes;
  private final ServedDecisions served;
  private final ContentCounts counts;
  private final EdgeDecisions edge;

  public ContentService(
      ContentCatalog catalogue,
      ProfileLookup profiles,
      @RestClient DecisionClient decisions,
      Recommendations recommendations,
      OutcomePublisher outcomes,
      ServedDecisions served,
      ContentCounts counts,
      EdgeDecisions edge) {
    this.counts = counts;
    this.edge = edge;
    this.served = served;
    this.catalogue = catalogue;
    this.profiles = profiles;
    this.decisions = decisions;
    this.recommendations = recommendations;
    this.outcomes = outcomes;
  }

  /** What the decision asked for this call, once known. */
  private record Decided(DecisionClient.Answer answer, String reason) {}

  /**
   * The content of a placement for a customer (null: an anonymous caller).
   *
   * @param locale the locale the call asks for explicitly: it wins over the profile's
   * @param browserLocale the caller's preferred language (Accept-Language), used only when neither
   *     the call nor the profile names a locale
   */
  public Uni<ContentResponse> contentFor(
      String placementName,
      String customerId,
      String locale,
      String browserLocale,
      String channel,
      Map<String, Object> context) {
    ContentCatalog.Snapshot s = catalogue.snapshot();
    Placement placement = s.placements().get(placementName);
    if (placement == null) {
      throw new NotFoundException(
          "No placement '" + placementName + "'; placements are " + s.placements().keySet() + ".");
    }
    if (customerId == null) {
      return Uni.createFrom()
          .item(
              render(
                  s,
                  placement,
                  s.template(null, placementName),
                  null,
                  null,
                  new Decided(null, "anonymous"),
                  locale != null ? locale : browserLocale,
                  null))
          .invoke(counts::served);
    }
    Duration budget = Duration.ofMillis(placement.budgetMs());
    Uni<ProfileSnapshot> found = RunToEnd.started(profiles.find(customerId));
    Uni<ProfileSnapshot> profile =
        found
            .ifNoItem()
            .after(budget)
            .recoverWithItem(
                () -> {
                  counts.fallback(ContentCounts.Fallback.PROFILE_UNAVAILABLE);
                  return null;
                })
            .onFailure()
            .recoverWithItem(
                f -> {
                  counts.fallback(ContentCounts.Fallback.PROFILE_UNAVAILABLE);
                  return null;
                })
            .memoize()
            .indefinitely();
    String decideChannel = channel == null ? placement.channel() : channel;
    DecisionClient.Request asked =
        new DecisionClient.Request(customerId, placementName, decideChannel, context);
    // in-process when the edge has fresh artifacts and the customer's whole contact history,
    // else decision-service over HTTP
    Instant now = Instant.now();
    EdgeDecisions.Ready ready = edge.ready(now);
    Uni<DecisionClient.Answer> call;
    if (ready.missing() == null) {
      Uni<List<EligibilityEngine.Contact>> contacts =
          RunToEnd.started(edge.contacts(customerId, now));
      // the decision reads the profile as decision-service does: however long it takes (the
      // placement's budget bounds the whole decision), unknown only when it cannot be read
      call =
          Uni.combine()
              .all()
              .unis(found.onFailure().recoverWithNull(), contacts)
              .asTuple()
              .chain(
                  t ->
                      edge.decide(
                          ready,
                          customerId,
                          placementName,
                          decideChannel,
                          context,
                          t.getItem1(),
                          t.getItem2(),
                          now))
              .chain(a -> a != null ? Uni.createFrom().item(a) : decisions.decide(asked));
    } else {
      edge.fellBack(ready.missing());
      call = decisions.decide(asked);
    }
    // a decision past the budget is not cancelled: a cancelled call closes its pooled connection,
    // and under load every new connection makes the next call slower still
    Uni<Decided> decided =
        RunToEnd.started(call)
            .ifNoItem()
            .after(budget)
            .fail()
            .map(a -> new Decided(a, reasonOf(a)))
            .onFailure()
            .recoverWithItem(
                f -> {
                  LOG.debugf("decision unavailable for content: %s", f.toString());
                  counts.fallback(
                      f instanceof io.smallrye.mutiny.TimeoutException
                          ? ContentCounts.Fallback.DECISION_TIMEOUT
                          : ContentCounts.Fallback.DECISION_ERROR);
                  return new Decided(null, "decision-unavailable");
                });
    return Uni.combine()
        .all()
        .unis(profile, decided)
        .asTuple()
        .chain(
            t -> {
              ProfileSnapshot p = t.getItem1();
              Decided d = t.getItem2();
              CompiledTemplate template = templateFor(s, placement, d);
              Map<String, Object> view = ProfileView.of(customerId, p);
              // the page's explicit locale, else the profile's, else the browser's language
              String wanted =
                  locale != null
                      ? locale
                      : view.get("locale") instanceof String own ? own : browserLocale;
              Uni<List<Map<String, Object>>> recs =
                  template != null && template.usesRecs()
                      ? recommendations
                          .forCustomer(customerId, recommendations.defaultCount())
                          .onFailure()
                          .recoverWithItem(
                              f -> {
                                counts.fallback(ContentCounts.Fallback.RECS_UNAVAILABLE);
                                return List.of();
                              })
                      : Uni.createFrom().item(List.of());
              return recs.map(r -> render(s, placement, template, view, r, d, wanted, customerId));
            })
        .invoke(
            r -> {
              counts.served(r);
              logImpression(customerId, r);
            });
  }

  /** Publishes the impression without holding the answer back for the broker's acknowledgement. */
  private void logImpression(String customerId, ContentResponse r) {
    if (r.decisionId() == null || r.templateId() == null) {
      return;
    }
    Outcome impression =
        new Outcome(
            "impression:" + r.decisionId(),
            "impression",
            customerId,
            Instant.now(),
            r.decisionId(),
            null,
            new Outcome.Content(
                r.campaignId(), r.placement(), r.templateId(), r.variantId(), r.locale()));
    served.served(r.decisionId(), customerId);
    outcomes.publishAndForget(impression);
  }

  private static String reasonOf(DecisionClient.Answer a) {
    if (a.control()) {
      return "control";
    }
    return a.campaignId() == null ? "none" : "campaign";
  }

  private static CompiledTemplate templateFor(ContentCatalog.Snapshot s, Placement p, Decided d) {
    if ("campaign".equals(d.reason())) {
      CompiledTemplate t = s.template(d.answer().campaignId(), p.name());
      if (t != null) {
        return t;
      }
    }
    return s.template(null, p.name());
  }

  private ContentResponse render(
      ContentCatalog.Snapshot s,
      Placement placement,
      CompiledTemplate template,
      Map<String, Object> profile,
      List<Map<String, Object>> recs,
      Decided decided,
      String locale,
      String customerId) {
    DecisionClient.Answer a = decided.answer();
    String decisionId = a == null ? null : a.decisionId();
    String reason = decided.reason();
    if (template == null) { // the placement has no default content either
      return new ContentResponse(
          placement.name(), decisionId, null, null, null, null, Map.of(), "", reason);
    }
    boolean campaign = template.campaignId() != null;
    if ("campaign".equals(reason) && !campaign) {
      reason = "no-template";
      counts.fallback(ContentCounts.Fallback.NO_TEMPLATE);
    }
    CompiledTemplate.Variant variant = choose(s, template);
    List<String> chain = s.locales().chain(locale);
    String rendered = template.localeOf(variant, chain);
    Map<String, Object> data =
        TemplateModel.data(profile, recs, campaign ? template.campaignId() : null, rendered);
    Map<String, String> fields;
    try {
      fields = ContentRenderer.safe(ContentRenderer.render(variant.locales().get(rendered), data));
    } catch (TemplateException e) {
      LOG.warnf(
          "template %d variant %s does not render for %s: %s",
          template.id(), variant.id(), customerId, e.getMessage());
      counts.renderError(campaign);
      if (!campaign) {
        return new ContentResponse(
            placement.name(), decisionId, null, null, null, null, Map.of(), "", "render-error");
      }
      counts.fallback(ContentCounts.Fallback.RENDER_ERROR);
      return render(
          s,
          placement,
          s.template(null, placement.name()),
          profile,
          recs,
          new Decided(a, "render-error"),
          locale,
          customerId);
    }
    return new ContentResponse(
        placement.name(),
        decisionId,
        campaign ? template.campaignId() : null,
        template.id(),
        variant.id(),
        rendered,
        fields,
        ContentRenderer.html(placement.name(), fields),
        reason);
  }

  private static CompiledTemplate.Variant choose(ContentCatalog.Snapshot s, CompiledTemplate t) {
    List<CompiledTemplate.Variant> variants = t.variants();
    if (variants.size() == 1) {
      return variants.get(0);
    }
    boolean conversions = "conversion".equals(t.optimizeFor());
    List<VariantChooser.Arm> arms = new ArrayList<>(variants.size());
    for (CompiledTemplate.Variant v : variants) {
      long[] st = s.stats(t.id(), v.id());
      arms.add(new VariantChooser.Arm(v.id(), st[0], conversions ? st[2] : st[1]));
    }
    return variants.get(VariantChooser.choose(arms, ThreadLocalRandom.current()));
  }
}
