package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentCountsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ContentCounts counts = new ContentCounts(registry);

  private static ContentResponse response(String reason) {
    return new ContentResponse("home", null, null, 1L, "A", "en", Map.of(), "", reason);
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }

  @Test
  void countsResponsesByTheirReason() {
    counts.served(response("campaign"));
    counts.served(response("campaign"));
    counts.served(response("decision-unavailable"));

    assertThat(count(ContentCounts.SERVED, "reason", "campaign")).isEqualTo(2);
    assertThat(count(ContentCounts.SERVED, "reason", "decision-unavailable")).isEqualTo(1);
    assertThat(count(ContentCounts.SERVED, "reason", "none")).isZero();
  }

  @Test
  void anUnexpectedReasonIsCountedAsOther() {
    counts.served(response("customer-42"));

    assertThat(count(ContentCounts.SERVED, "reason", "other")).isEqualTo(1);
    assertThat(registry.find(ContentCounts.SERVED).tag("reason", "customer-42").counter()).isNull();
  }

  @Test
  void aSlowDecisionServiceIsATimeoutAndADownOneAnError() {
    counts.fallback(ContentCounts.Fallback.DECISION_TIMEOUT);
    counts.fallback(ContentCounts.Fallback.DECISION_TIMEOUT);
    counts.fallback(ContentCounts.Fallback.DECISION_ERROR);

    assertThat(count(ContentCounts.FALLBACKS, "reason", "decision-timeout")).isEqualTo(2);
    assertThat(count(ContentCounts.FALLBACKS, "reason", "decision-error")).isEqualTo(1);
    assertThat(count(ContentCounts.FALLBACKS, "reason", "profile-unavailable")).isZero();
  }

  @Test
  void renderErrorsAreCountedByWhoseTemplateFailed() {
    counts.renderError(true);

    assertThat(count(ContentCounts.RENDER_ERRORS, "template", "campaign")).isEqualTo(1);
    assertThat(count(ContentCounts.RENDER_ERRORS, "template", "default")).isZero();
  }
}
