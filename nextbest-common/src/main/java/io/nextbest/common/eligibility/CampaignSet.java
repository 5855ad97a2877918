package io.nextbest.common.eligibility;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an edge needs to evaluate eligibility as eligibility-service does: every campaign's
 * definition with its version, the settings that hold for all of them, and the do-not-contact list
 * when it is short enough to hold in memory. eligibility-service publishes it on the compacted
 * campaigns topic at once after a change and again every {@code edge.republish}, so an edge can
 * bound the age of what it decides with ({@link #publishedAt()}).
 *
 * @param campaigns every campaign, whatever its status, with the version it was saved as
 * @param settings the rules every campaign follows
 * @param doNotContact customer id → channels never contacted, or null when the list is too long to
 *     publish (edges then ask eligibility-service)
 * @param publishedAt when eligibility-service published it
 */
public record CampaignSet(
    List<Versioned> campaigns,
    EligibilitySettings settings,
    Map<String, Set<String>> doNotContact,
    Instant publishedAt) {

  /**
   * One campaign as saved.
   *
   * @param spec its definition
   * @param version the version it was saved as (its compiled rule is reused while it holds)
   */
  public record Versioned(CampaignSpec spec, int version) {}

  /**
   * The campaigns compiled, each reused from {@code before} when its version is unchanged; a
   * campaign that does not compile is left out and named in {@code failed}.
   */
  public EligibilityEngine.Rules compile(
      Map<String, CompiledCampaign> before, List<String> failed) {
    List<CompiledCampaign> compiled = new ArrayList<>(campaigns.size());
    for (Versioned v : campaigns) {
      CompiledCampaign same = before.get(v.spec().id());
      if (same != null && same.version() == v.version()) {
        compiled.add(same);
        continue;
      }
      try {
        compiled.add(CompiledCampaign.compile(v.spec(), v.version()));
      } catch (RuntimeException e) {
        failed.add(v.spec().id() + ": " + e.getMessage());
      }
    }
    return new EligibilityEngine.Rules(List.copyOf(compiled), settings);
  }
}
