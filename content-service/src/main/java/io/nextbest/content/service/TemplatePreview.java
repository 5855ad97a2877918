package io.nextbest.content.service;

import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.content.client.ProfileClient;
import io.nextbest.content.recs.Recommendations;
import io.nextbest.content.template.CompiledTemplate;
import io.nextbest.content.template.ContentCatalog;
import io.nextbest.content.template.TemplateModel;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.qute.TemplateException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A template's variant in a locale, rendered for a customer a marketer names, exactly as the
 * frontend call would render it (the same data model, recommendations, locale chain and output
 * filters) but with no decision asked for, no impression logged, no variant statistics touched and
 * no outcome published: a preview changes nothing anywhere.
 */
@ApplicationScoped
public class TemplatePreview {
  private final ContentCatalog catalogue;
  private final ProfileLookup profiles;
  private final ProfileClient profileService;
  private final Recommendations recommendations;

  public TemplatePreview(
      ContentCatalog catalogue,
      ProfileLookup profiles,
      @RestClient ProfileClient profileService,
      Recommendations recommendations) {
    this.catalogue = catalogue;
    this.profiles = profiles;
    this.profileService = profileService;
    this.recommendations = recommendations;
  }

  /**
   * The preview.
   *
   * @param templateId the template
   * @param version its version
   * @param placement its placement
   * @param campaignId its campaign, null for the placement's default content
   * @param customerId the customer it was rendered for
   * @param variantId the variant rendered
   * @param variants every variant of the template, in order
   * @param locale the locale the variant was written in that was used (by the fallback chain)
   * @param locales the locales the variant is written in
   * @param fields the rendered fields, filtered as the frontend call filters them
   * @param html the escaped HTML fragment frontends would insert
   * @param error why the variant does not render for this customer, or null
   */
  public record Preview(
      long templateId,
      int version,
      String placement,
      String campaignId,
      String customerId,
      String variantId,
      List<String> variants,
      String locale,
      List<String> locales,
      Map<String, String> fields,
      String html,
      String error) {}

  /**
   * Renders {@code variantId} (the first variant when null) of the template for the customer, in
   * {@code locale} (else the customer's own, else the template's default) along the fallback chain.
   * A template or customer that does not exist is a 404; a variant the template lacks a 400.
   */
  public Uni<Preview> render(long templateId, String customerId, String variantId, String locale) {
    ContentCatalog.Snapshot s = catalogue.snapshot();
    CompiledTemplate template =
        s.templates().values().stream().filter(t -> t.id() == templateId).findFirst().orElse(null);
    if (template == null) {
      throw new NotFoundException("No template " + templateId + ".");
    }
    List<String> variantIds =
        template.variants().stream().map(CompiledTemplate.Variant::id).toList();
    CompiledTemplate.Variant variant =
        variantId == null
            ? template.variants().get(0)
            : template.variants().stream()
                .filter(v -> v.id().equals(variantId))
                .findFirst()
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            "variant", "must be one of the template's variants " + variantIds));
    return profile(customerId)
        .chain(
            p -> {
              Map<String, Object> view = ProfileView.of(customerId, p);
              Uni<List<Map<String, Object>>> recs =
                  template.usesRecs()
                      ? recommendations
                          .forCustomer(customerId, recommendations.defaultCount())
                          .onFailure()
                          .recoverWithItem(List.of())
                      : Uni.createFrom().item(List.of());
              return recs.map(r -> render(s, template, variant, variantIds, view, r, locale));
            });
  }

  private static Preview render(
      ContentCatalog.Snapshot s,
      CompiledTemplate template,
      CompiledTemplate.Variant variant,
      List<String> variantIds,
      Map<String, Object> view,
      List<Map<String, Object>> recs,
      String locale) {
    String wanted = locale != null ? locale : view.get("locale") instanceof String own ? own : null;
    String rendered = template.localeOf(variant, s.locales().chain(wanted));
    Map<String, Object> data = TemplateModel.data(view, recs, template.campaignId(), rendered);
    Map<String, String> fields = Map.of();
    String html = "";
    String error = null;
    try {
      fields = ContentRenderer.safe(ContentRenderer.render(variant.locales().get(rendered), data));
      html = ContentRenderer.html(template.placement(), fields);
    } catch (TemplateException e) {
      error = "does not render for this customer: " + e.getMessage();
    }
    return new Preview(
        template.id(),
        template.version(),
        template.placement(),
        template.campaignId(),
        (String) view.get("id"),
        variant.id(),
        variantIds,
        rendered,
        List.copyOf(variant.locales().keySet()),
        fields,
        html,
        error);
  }

  /** The cached profile, else profile-service's; 404 when neither knows the customer. */
  private Uni<ProfileSnapshot> profile(String customerId) {
    return profiles
        .find(customerId)
        .onFailure()
        .recoverWithNull()
        .chain(
            cached ->
                cached != null
                    ? Uni.createFrom().item(cached)
                    : profileService
                        .profile(customerId)
                        .onFailure()
                        .transform(
                            f ->
                                f instanceof WebApplicationException w
                                        && w.getResponse().getStatus() == 404
                                    ? new NotFoundException("No customer '" + customerId + "'.")
                                    : new BackingServiceUnavailableException(
                                        "profile-service", f)));
  }
}
