package io.nextbest.content.template;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A template as the API reads and writes it.
 *
 * @param id assigned by the service
 * @param campaignId the campaign, or null for the placement's default content
 * @param placement placement name (home-hero, product-banner, cart, in-app-card, email, push)
 * @param optimizeFor what the variants compete on: click or conversion
 * @param defaultLocale the locale every variant must define; the last fallback
 * @param variants the variants, each with its fields per locale
 * @param version increases on every change
 * @param updatedAt last change
 */
public record TemplateDocument(
    Long id,
    @Size(max = 200) String campaignId,
    @NotBlank @Size(max = 64) String placement,
    @Pattern(regexp = "click|conversion", message = "must be click or conversion")
        String optimizeFor,
    @Size(max = 35) String defaultLocale,
    @NotEmpty @Size(max = 20) List<@Valid Variant> variants,
    Integer version,
    Instant updatedAt) {

  /**
   * One variant: the same message in every language it is written in.
   *
   * @param id variant id, unique in its template
   * @param locales locale tag → field name → Qute source
   */
  public record Variant(
      @NotBlank
          @Pattern(regexp = "[A-Za-z0-9_-]{1,40}", message = "must be 1-40 letters, digits, - or _")
          String id,
      @NotEmpty @Size(max = 100)
          Map<@NotBlank @Size(max = 35) String, Map<String, String>> locales) {}
}
