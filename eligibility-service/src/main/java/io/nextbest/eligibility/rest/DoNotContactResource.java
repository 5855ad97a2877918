package io.nextbest.eligibility.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.eligibility.repository.DoNotContactRepository;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Customers never to contact, on some channels or on all. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/do-not-contact/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DoNotContactResource {
  private final DoNotContactRepository store;
  private final CampaignCatalog catalog;

  public DoNotContactResource(DoNotContactRepository store, CampaignCatalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /**
   * An entry to add.
   *
   * @param channels channels never to use; empty or absent means all
   * @param reason why (shown in exclusions' audit)
   */
  public record Request(List<String> channels, String reason) {}

  @GET
  @Operation(summary = "The customer's do-not-contact entries")
  public Uni<List<DoNotContactRepository.Entry>> get(@PathParam("customerId") String customerId) {
    return store.of(customerId);
  }

  @PUT
  @Operation(summary = "Put the customer on the list for some channels, or all")
  public Uni<List<DoNotContactRepository.Entry>> put(
      @PathParam("customerId") String customerId, Request body) {
    List<String> channels =
        body == null || body.channels() == null || body.channels().isEmpty()
            ? List.of("*")
            : body.channels();
    for (int i = 0; i < channels.size(); i++) {
      if (!CampaignSpec.CHANNELS.contains(channels.get(i))) {
        throw new InvalidInputException(
            "channels[" + i + "]",
            "unknown channel '" + channels.get(i) + "': use one of " + CampaignSpec.CHANNELS);
      }
    }
    if (customerId.length() > 128) {
      throw new InvalidInputException("customerId", "at most 128 characters");
    }
    return store
        .add(customerId, channels, body == null ? null : body.reason())
        .invoke(catalog::invalidate)
        .chain(() -> store.of(customerId));
  }

  @DELETE
  @Operation(summary = "Take the customer off the list")
  public Uni<Response> delete(@PathParam("customerId") String customerId) {
    return store
        .remove(customerId)
        .invoke(catalog::invalidate)
        .map(v -> Response.noContent().build());
  }
}
