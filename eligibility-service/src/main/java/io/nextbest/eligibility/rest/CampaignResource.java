package io.nextbest.eligibility.rest;

import io.nextbest.eligibility.repository.CampaignRepository;
import io.nextbest.eligibility.service.CampaignView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Campaign catalogue. */
@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {
  private final CampaignRepository campaigns;

  public CampaignResource(CampaignRepository campaigns) {
    this.campaigns = campaigns;
  }

  @GET
  @Operation(summary = "All campaigns")
  public Uni<List<CampaignView>> list() {
    return campaigns.all().map(list -> list.stream().map(CampaignView::of).toList());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One campaign")
  public Uni<CampaignView> get(@PathParam("id") String id) {
    return campaigns
        .byId(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No campaign '" + id + "'."))
        .map(CampaignView::of);
  }
}
