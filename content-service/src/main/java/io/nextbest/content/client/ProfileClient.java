package io.nextbest.content.client;

import io.nextbest.common.auth.ServiceToken;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * profile-service: log-in stitching, and a profile for a marketer's preview when Redis has none.
 * The service token must carry the {@code identity:merge} scope besides {@code service} ({@code
 * bin/nextbest up} issues it so).
 */
@RegisterProvider(ServiceToken.class)
@RegisterRestClient(configKey = "profile-service")
@Path("/api/v1/profiles")
public interface ProfileClient {

  /** The id whose history joins the customer. */
  record AliasRequest(String alias) {}

  /** The customer's profile (404 when profile-service knows none). */
  @GET
  @Path("/{customerId}")
  @Produces(MediaType.APPLICATION_JSON)
  Uni<ProfileSnapshot> profile(@PathParam("customerId") String customerId);

  /** Merges {@code request.alias} into the customer: its events, features and later events. */
  @POST
  @Path("/{customerId}/aliases")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<Response> merge(@PathParam("customerId") String customerId, AliasRequest request);
}
