package io.nextbest.decision.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.nextbest.common.auth.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** eligibility-service: campaigns and real-time eligibility. */
@RegisterProvider(ServiceToken.class)
@RegisterRestClient(configKey = "eligibility-service")
@Path("/api/v1")
public interface EligibilityClient {

  /** A campaign as eligibility-service lists it (only what decisioning needs). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record CampaignView(Campaign campaign, long version) {}

  /** Campaign fields that matter to decisioning. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Campaign(
      String id,
      String priorityMode,
      Integer priority,
      Integer attributionWindowDays,
      Double controlPercent,
      JourneyLink follows,
      Attributes attributes) {}

  /** What a campaign is: category, discount depth (percent off), tags. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Attributes(String category, Double discountDepth, List<String> tags) {}

  /** This campaign follows {@code campaignId} after {@code afterDays}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record JourneyLink(String campaignId, Integer afterDays) {}

  /** Real-time eligibility of one customer. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Answer(
      String customerId,
      boolean globalControl,
      List<Eligible> eligible,
      List<Exclusion> excluded) {}

  /**
   * A campaign the customer may not receive, with the reason as a code ({@code ExclusionCode}'s
   * name, kept as text so a code added later is read, not refused) and in words.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Exclusion(String campaignId, String code, String reason) {}

  /** An eligible campaign. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Eligible(
      String id,
      String priorityMode,
      Integer priority,
      String channel,
      String placement,
      boolean control,
      Attributes attributes) {}

  /** Eligibility settings (only the global control share matters here). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Settings(Double controlGroupPercent) {}

  @GET
  @Path("/eligibility-settings")
  Uni<Settings> settings();

  @GET
  @Path("/campaigns")
  Uni<List<CampaignView>> campaigns();

  @GET
  @Path("/eligibility/{customerId}")
  Uni<Answer> eligibility(
      @PathParam("customerId") String customerId,
      @QueryParam("placement") String placement,
      @QueryParam("channel") String channel);
}
