package io.nextbest.content.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.nextbest.common.auth.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** decision-service: a real-time decision (it asks eligibility-service for the candidates). */
@RegisterProvider(ServiceToken.class)
@RegisterRestClient(configKey = "decision-service")
@Path("/api/v1/decisions")
public interface DecisionClient {

  /** The request: a customer at a placement. */
  record Request(
      String customerId, String placement, String channel, Map<String, Object> context) {}

  /** What content needs of the answer. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Answer(String decisionId, String campaignId, boolean control, String rule) {}

  @POST
  Uni<Answer> decide(Request request);
}
