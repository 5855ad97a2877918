package io.nextbest.content.service;

import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.content.domain.CustomerDecision;
import io.nextbest.content.domain.PlacementDefault;
import io.nextbest.content.domain.Template;
import io.nextbest.content.repository.ContentRepository;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Content for a customer at a placement: the content of the campaign last decided for them there,
 * rendered over their profile, or the placement's default content when no campaign applies.
 */
@ApplicationScoped
public class ContentService {
  static final String DEFAULT_VARIANT = "default";

  private final ContentRepository repository;
  private final ContentRenderer renderer;
  private final ProfileLookup profiles;

  public ContentService(
      ContentRepository repository, ContentRenderer renderer, ProfileLookup profiles) {
    this.repository = repository;
    this.renderer = renderer;
    this.profiles = profiles;
  }

  public Uni<ContentResponse> contentFor(String placement, String customerId, String locale) {
    Uni<CustomerDecision> decision =
        customerId == null
            ? Uni.createFrom().nullItem()
            : repository.latestDecision(customerId, placement);
    return decision.chain(
        d ->
            d == null || d.campaignId == null
                ? defaultContent(placement)
                : campaignContent(d, placement, customerId, locale));
  }

  private Uni<ContentResponse> campaignContent(
      CustomerDecision d, String placement, String customerId, String locale) {
    return repository
        .template(d.campaignId, placement, locale == null ? "en" : locale)
        .chain(
            t ->
                t == null
                    ? defaultContent(placement)
                    : attributesOf(customerId).map(profile -> render(d, t, placement, profile)));
  }

  private ContentResponse render(
      CustomerDecision d, Template t, String placement, Map<String, Object> profile) {
    Map<String, String> fields = renderer.render(fieldsOf(t.headline, t.body, t.cta), profile);
    return new ContentResponse(
        placement,
        d.decisionId,
        d.campaignId,
        t.variantId,
        fields,
        ContentRenderer.html(placement, fields));
  }

  private Uni<ContentResponse> defaultContent(String placement) {
    return repository
        .placementDefault(placement)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No placement '" + placement + "'."))
        .map(
            (PlacementDefault p) -> {
              Map<String, String> fields = fieldsOf(p.headline, p.body, p.cta);
              return new ContentResponse(
                  placement,
                  null,
                  null,
                  DEFAULT_VARIANT,
                  fields,
                  ContentRenderer.html(placement, fields));
            });
  }

  private Uni<Map<String, Object>> attributesOf(String customerId) {
    return profiles
        .find(customerId)
        .onFailure()
        .recoverWithNull()
        .map(
            (ProfileSnapshot p) -> {
              Map<String, Object> attrs = new LinkedHashMap<>();
              if (p != null && p.attributes() != null) {
                attrs.putAll(p.attributes());
              }
              return attrs;
            });
  }

  private static Map<String, String> fieldsOf(String headline, String body, String cta) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("headline", headline);
    fields.put("body", body);
    fields.put("cta", cta);
    return fields;
  }
}
