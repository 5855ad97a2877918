package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.content.service.EdgeCampaigns;
import io.nextbest.content.service.EdgeDecisions;
import io.nextbest.content.service.EdgeModel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What this replica decides with in-process, for operators and the propagation benchmark. */
@Path("/api/v1/edge")
@Produces(MediaType.APPLICATION_JSON)
public class EdgeResource {
  private final EdgeModel model;
  private final EdgeCampaigns campaigns;
  private final EdgeDecisions decisions;

  public EdgeResource(EdgeModel model, EdgeCampaigns campaigns, EdgeDecisions decisions) {
    this.model = model;
    this.campaigns = campaigns;
    this.decisions = decisions;
  }

  /**
   * The edge's state.
   *
   * @param decides whether content calls are decided in-process now
   * @param missing why not (no-model, no-campaigns, do-not-contact-unpublished), null when they are
   * @param model the model held, null before the first
   * @param campaigns the campaign set held, null before the first
   */
  public record EdgeView(
      boolean decides, String missing, ModelView model, CampaignsView campaigns) {}

  /**
   * @param version arm models' version
   * @param policyVersion as logged with decisions
   * @param publishedAt when decision-service published it
   * @param ageSeconds its age now
   */
  public record ModelView(
      long version, String policyVersion, Instant publishedAt, double ageSeconds) {}

  /**
   * @param campaigns campaigns in the set, whatever their status
   * @param compiled campaigns whose rules compiled here
   * @param doNotContact customers on the do-not-contact list, null when it was too long to publish
   * @param publishedAt when eligibility-service published it
   * @param ageSeconds its age now
   */
  public record CampaignsView(
      int campaigns, int compiled, Integer doNotContact, Instant publishedAt, double ageSeconds) {}

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Operation(summary = "The model and campaign set this replica decides content calls with")
  public EdgeView view() {
    Instant now = Instant.now();
    EdgeDecisions.Ready ready = decisions.ready(now);
    EdgeModel.Loaded m = model.latest();
    EdgeCampaigns.Loaded c = campaigns.latest();
    return new EdgeView(
        ready.missing() == null,
        ready.missing() == null ? null : ready.missing().tag(),
        m == null
            ? null
            : new ModelView(
                m.snapshot().version(),
                m.inForce().policyVersion(),
                m.snapshot().publishedAt(),
                age(m.snapshot().publishedAt(), now)),
        c == null
            ? null
            : new CampaignsView(
                c.set().campaigns().size(),
                c.rules().campaigns().size(),
                c.set().doNotContact() == null ? null : c.set().doNotContact().size(),
                c.set().publishedAt(),
                age(c.set().publishedAt(), now)));
  }

  private static double age(Instant at, Instant now) {
    return Duration.between(at, now).toMillis() / 1000.0;
  }
}
