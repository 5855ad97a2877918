package io.nextbest.profile.rest;

import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.messaging.OutboxRelay;
import io.nextbest.profile.service.ProfileService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Customer profiles. */
@Path("/api/v1/profiles/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {
  private final ProfileService profiles;
  private final OutboxRelay relay;

  public ProfileResource(ProfileService profiles, OutboxRelay relay) {
    this.profiles = profiles;
    this.relay = relay;
  }

  /**
   * Body of a profile replacement.
   *
   * @param attributes profile attributes such as email, name, locale, timezone, country
   */
  public record ProfileUpdate(@NotNull(message = "is required") Map<String, Object> attributes) {}

  @GET
  @Operation(summary = "The profile with its features (from the Redis cache when hot)")
  public Uni<ProfileSnapshot> get(@PathParam("customerId") String customerId) {
    return profiles
        .find(customerId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No profile for customer '" + customerId + "'."));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Replace the profile's attributes")
  public Uni<ProfileSnapshot> put(
      @PathParam("customerId") String customerId,
      @Valid @NotNull(message = "must be a JSON object with attributes") ProfileUpdate update) {
    return profiles
        .replaceAttributes(customerId, update.attributes())
        .invoke(() -> relay.trigger());
  }
}
