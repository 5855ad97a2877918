package io.nextbest.eligibility.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.nextbest.common.auth.ServiceToken;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** profile-service's paged lists of customers and its profiles, for sweeps and dry runs. */
@RegisterProvider(ServiceToken.class)
@RegisterRestClient(configKey = "profile-service")
@Path("/api/v1")
public interface ProfileDirectoryClient {

  /** A page of ids from either list. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record IdPage(List<String> customers, List<Member> members, String next) {
    public List<String> ids() {
      return customers != null
          ? customers
          : members == null ? List.of() : members.stream().map(Member::customerId).toList();
    }
  }

  /** A segment member. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Member(String customerId) {}

  @GET
  @Path("/profiles")
  Uni<IdPage> customers(@QueryParam("after") String after, @QueryParam("limit") int limit);

  @GET
  @Path("/segments/{segment}/members")
  Uni<IdPage> members(
      @PathParam("segment") String segment,
      @QueryParam("after") String after,
      @QueryParam("limit") int limit);

  @GET
  @Path("/profiles/{id}")
  Uni<ProfileSnapshot> profile(@PathParam("id") String customerId);
}
