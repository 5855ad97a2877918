package io.nextbest.decision.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.auth.Roles;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.decision.domain.DecisionRequest;
import io.nextbest.decision.domain.DecisionResponse;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.service.RealtimeDecisions;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Real-time decisions and the decision log. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {
  private final DecisionLogRepository log;
  private final RealtimeDecisions decisions;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final CurrentIdentityAssociation identities;
  private final CustomerDecisions customerDecisions;

  /** How far from now a moment may be without a simulation or admin token. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  public DecisionResource(
      DecisionLogRepository log,
      RealtimeDecisions decisions,
      ObjectMapper mapper,
      Validator validator,
      CurrentIdentityAssociation identities,
      CustomerDecisions customerDecisions) {
    this.log = log;
    this.decisions = decisions;
    this.mapper = mapper;
    this.validator = validator;
    this.identities = identities;
    this.customerDecisions = customerDecisions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Decide the next best campaign, or none, for a customer now")
  public Uni<DecisionResponse> decide(DecisionRequest request) {
    validate(request);
    if (request.placement() == null && request.channel() == null && request.candidates() == null) {
      throw new InvalidInputException("placement", "give a placement or a channel");
    }
    if (!otherMoment(request.at())) {
      return decisions.decide(request, null);
    }
    // authentication is lazy: the identity is resolved only for the rare request that needs it
    return identities
        .getDeferredIdentity()
        .chain(identity -> decisions.decide(request, simulatedBy(identity)));
  }

  /**
   * A moment more than {@link #CLOCK_SKEW} from now is a replay or a simulation (and must be after
   * 2000 and at most a day ahead).
   */
  private static boolean otherMoment(Instant at) {
    if (at == null) {
      return false;
    }
    Instant now = Instant.now();
    if (!at.isBefore(now.minus(CLOCK_SKEW)) && !at.isAfter(now.plus(CLOCK_SKEW))) {
      return false;
    }
    if (at.isBefore(EARLIEST) || at.isAfter(now.plus(Duration.ofDays(1)))) {
      throw new InvalidInputException(
          "at", "must be after 2000-01-01 and at most a day in the future");
    }
    return true;
  }

  /**
   * Only a token with the simulation or admin role may ask for another moment; its subject is
   * logged with the decision.
   */
  private static String simulatedBy(SecurityIdentity identity) {
    if (identity == null || identity.isAnonymous()) {
      throw new UnauthorizedException(
          "A decision at another moment than now ('at') needs a token with the simulation or"
              + " admin role.");
    }
    if (!identity.hasRole(Roles.SIMULATION) && !identity.hasRole(Roles.ADMIN)) {
      throw new ForbiddenException(
          "A decision at another moment than now ('at') needs the simulation or admin role.");
    }
    return identity.getPrincipal().getName();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(
      summary =
          "A customer's latest decisions, newest first, a page at a time (cursor), each with its"
              + " explanation, its window's conversions and the outcomes that name it")
  public Uni<CustomerDecisions.Page> forCustomer(
      @QueryParam("customerId") @NotBlank @Size(max = 200) String customerId,
      @QueryParam("before") @Size(max = 700) String before,
      @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(50) int limit) {
    return customerDecisions.page(customerId, before, limit);
  }

  @GET
  @Path("/{decisionId}")
  @Operation(summary = "A logged decision with its candidates, propensity and features")
  public Uni<DecisionView> get(@PathParam("decisionId") String decisionId) {
    return log.byId(decisionId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No decision '" + decisionId + "'."))
        .map(d -> DecisionView.of(d, mapper));
  }

  /**
   * The request's constraints, checked by hand on the hot path: a request within them goes on
   * without Bean Validation (which, cascading into 20 candidates, allocated a third of what a
   * decision did); one outside them is validated by Bean Validation for the usual field errors.
   */
  private void validate(DecisionRequest request) {
    if (request == null) {
      throw new InvalidInputException("request", "must not be null");
    }
    if (withinLimits(request)) {
      return;
    }
    var violations = validator.validate(request);
    if (!violations.isEmpty()) {
      throw new ConstraintViolationException(violations);
    }
    noNulls(request.candidates(), "candidates");
    noNulls(request.candidateCampaignIds(), "candidateCampaignIds");
  }

  /** Bean Validation skips null list elements; they are refused here with their position. */
  private static void noNulls(List<?> list, String field) {
    for (int i = 0; list != null && i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new InvalidInputException(field + "[" + i + "]", "must not be null");
      }
    }
  }

  /** The constraints declared on {@link DecisionRequest}, and no null list elements. */
  static boolean withinLimits(DecisionRequest r) {
    if (!present(r.customerId(), 200)
        || !fits(r.placement(), 100)
        || !fits(r.channel(), 30)
        || !fits(r.context(), 50)) {
      return false;
    }
    List<String> ids = r.candidateCampaignIds();
    if (ids != null) {
      if (ids.size() > 200) {
        return false;
      }
      for (String id : ids) {
        if (!present(id, Integer.MAX_VALUE)) {
          return false;
        }
      }
    }
    List<DecisionRequest.Candidate> candidates = r.candidates();
    if (candidates != null) {
      if (candidates.size() > 200) {
        return false;
      }
      for (DecisionRequest.Candidate c : candidates) {
        if (c == null
            || !present(c.campaignId(), 200)
            || !present(c.channel(), 30)
            || !fits(c.placement(), 100)
            || c.attributes() != null) {
          return false; // attributes are rare enough to go through Bean Validation
        }
      }
    }
    return true;
  }

  /** {@code @NotBlank @Size(max)}. */
  private static boolean present(String s, int max) {
    return s != null && s.length() <= max && !s.trim().isEmpty();
  }

  /** {@code @Size(max)}. */
  private static boolean fits(String s, int max) {
    return s == null || s.length() <= max;
  }

  private static boolean fits(Map<?, ?> m, int max) {
    return m == null || m.size() <= max;
  }
}
