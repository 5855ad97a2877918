package io.nextbest.content.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the frontend was served and how often it was served less than it asked for, for
 * operators.
 *
 * <ul>
 *   <li>{@code nextbest_content_served_total} by {@code reason}: the response's own reason
 *       (campaign, none, control, no-template, anonymous, decision-unavailable, render-error).
 *   <li>{@code nextbest_content_fallbacks_total} by {@code reason}: default content or a thinner
 *       render because something did not answer: {@code decision-timeout} (decision-service past
 *       the placement's budget), {@code decision-error} (decision-service failed or unreachable),
 *       {@code profile-unavailable} (Redis slow or down: rendered without the profile), {@code
 *       recs-unavailable} (rendered without recommendations), {@code no-template} (the campaign has
 *       no template for the placement) and {@code render-error} (the campaign's template failed to
 *       render).
 *   <li>{@code nextbest_content_render_errors_total} by {@code template}: a template that failed to
 *       render, the campaign's or the placement's default.
 * </ul>
 *
 * Tags take values from fixed sets; anything else is counted as {@code other}.
 */
@ApplicationScoped
public class ContentCounts {
  /** Counter of responses served. */
  public static final String SERVED = "nextbest.content.served";

  /** Counter of fallbacks. */
  public static final String FALLBACKS = "nextbest.content.fallbacks";

  /** Counter of render errors. */
  public static final String RENDER_ERRORS = "nextbest.content.render.errors";

  /** Why a response falls back. */
  public enum Fallback {
    DECISION_TIMEOUT,
    DECISION_ERROR,
    PROFILE_UNAVAILABLE,
    RECS_UNAVAILABLE,
    NO_TEMPLATE,
    RENDER_ERROR;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private static final Set<String> REASONS =
      Set.of(
          "campaign",
          "none",
          "control",
          "no-template",
          "anonymous",
          "decision-unavailable",
          "render-error");

  private final MeterRegistry registry;
  private final Map<String, Counter> served = new ConcurrentHashMap<>();
  private final Map<Fallback, Counter> fallbacks = new java.util.EnumMap<>(Fallback.class);
  private final Map<Boolean, Counter> renderErrors = new ConcurrentHashMap<>();

  public ContentCounts(MeterRegistry registry) {
    this.registry = registry;
    for (Fallback f : Fallback.values()) {
      fallbacks.put(
          f,
          Counter.builder(FALLBACKS)
              .description("content served with less than asked for, by what was missing")
              .tag("reason", f.tag())
              .register(registry));
    }
    for (boolean campaign : List.of(true, false)) {
      renderErrors.put(
          campaign,
          Counter.builder(RENDER_ERRORS)
              .description("templates that failed to render, the campaign's or the default")
              .tag("template", campaign ? "campaign" : "default")
              .register(registry));
    }
    REASONS.forEach(this::servedCounter);
  }

  /** Counts a response served. */
  public void served(ContentResponse response) {
    servedCounter(REASONS.contains(response.reason()) ? response.reason() : "other").increment();
  }

  /** Counts a fallback. */
  public void fallback(Fallback reason) {
    fallbacks.get(reason).increment();
  }

  /** Counts a template that failed to render. */
  public void renderError(boolean campaignTemplate) {
    renderErrors.get(campaignTemplate).increment();
  }

  private Counter servedCounter(String reason) {
    return served.computeIfAbsent(
        reason,
        r ->
            Counter.builder(SERVED)
                .description("content responses served, by the reason of what was served")
                .tag("reason", r)
                .register(registry));
  }
}
