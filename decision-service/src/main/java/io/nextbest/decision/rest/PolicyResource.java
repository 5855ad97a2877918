package io.nextbest.decision.rest;

import io.nextbest.decision.policy.ManualPriorityPolicy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The policy in force. */
@Path("/api/v1/policies/current")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

  /**
   * The policy that decides now.
   *
   * @param version policy version, logged with every decision
   * @param description how it chooses
   */
  public record PolicyView(String version, String description) {}

  @GET
  @Operation(summary = "The policy in force")
  public PolicyView current() {
    return new PolicyView(
        ManualPriorityPolicy.VERSION,
        "Highest manual priority among the eligible campaigns; none when nothing is eligible.");
  }
}
