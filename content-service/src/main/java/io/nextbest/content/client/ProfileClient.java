package io.nextbest.content.client;

import io.nextbest.common.auth.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * profile-service: log-in stitching. The service token must carry the {@code identity:merge} scope
 * besides {@code service} ({@code bin/nextbest up} issues it so).
 */
@RegisterProvider(ServiceToken.class)
@RegisterRestClient(configKey = "profile-service")
@Path("/api/v1/profiles")
public interface ProfileClient {

  /** The id whose history joins the customer. */
  record AliasRequest(String alias) {}

  /** Merges {@code request.alias} into the customer: its events, features and later events. */
  @POST
  @Path("/{customerId}/aliases")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<Response> merge(@PathParam("customerId") String customerId, AliasRequest request);
}
