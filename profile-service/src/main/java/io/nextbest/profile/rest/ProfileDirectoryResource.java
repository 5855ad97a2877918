package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.profile.repository.CustomerRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Every customer id, a page at a time, for sweeps and dry runs over the whole base. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
@Path("/api/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileDirectoryResource {
  private final CustomerRepository customers;

  public ProfileDirectoryResource(CustomerRepository customers) {
    this.customers = customers;
  }

  /**
   * A page of customer ids.
   *
   * @param customers ids in order
   * @param next pass as {@code after} for the next page; null on the last
   */
  public record Page(List<String> customers, String next) {}

  @GET
  @Operation(
      summary = "Customer ids in order, a page at a time",
      description = "Pass the previous page's `next` as `after` for the following page.")
  public Uni<Page> list(
      @QueryParam("after") @Size(max = 128, message = "must be a customer id") String after,
      @QueryParam("limit")
          @DefaultValue("500")
          @Min(value = 1, message = "must be 1 to 1000")
          @Max(value = 1000, message = "must be 1 to 1000")
          int limit) {
    return customers
        .idsAfter(after, limit)
        .map(ids -> new Page(ids, ids.size() == limit ? ids.get(ids.size() - 1) : null));
  }
}
