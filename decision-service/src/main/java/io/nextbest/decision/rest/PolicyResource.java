package io.nextbest.decision.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.decision.learning.FeatureWeights;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.learning.Promotion;
import io.nextbest.decision.repository.PolicyStateRepository;
import io.nextbest.models.policy.DecisionPolicy.Mode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The policy in force, apprentice mode's scorecard, and the switch between modes. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/policies/current")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
  private final ModelStore models;
  private final Promotion promotion;
  private final PolicyStateRepository policyState;

  public PolicyResource(ModelStore models, Promotion promotion, PolicyStateRepository policyState) {
    this.models = models;
    this.promotion = promotion;
    this.policyState = policyState;
  }

  /**
   * A change of mode as the console shows it.
   *
   * @param mode the mode entered
   * @param previous the mode left, null for the first
   * @param reason why
   * @param changedBy guard, promotion, operator or initial
   * @param changedAt when
   * @param demotion the model went from live back to apprentice mode
   * @param byGuard the guard made the change (not an operator or the promotion check)
   * @param learning the mode entered is live mode's learning phase
   */
  public record ModeChangeView(
      String mode,
      String previous,
      String reason,
      String changedBy,
      Instant changedAt,
      boolean demotion,
      boolean byGuard,
      boolean learning) {}

  @GET
  @Path("/history")
  @Operation(summary = "The latest changes of the policy mode, newest first, demotions marked")
  public Uni<List<ModeChangeView>> history(
      @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit) {
    return policyState
        .history(limit)
        .map(
            changes ->
                changes.stream()
                    .map(
                        c ->
                            new ModeChangeView(
                                c.mode(),
                                c.previous(),
                                c.reason(),
                                c.by(),
                                c.changedAt(),
                                "live".equals(c.previous()) && "apprentice".equals(c.mode()),
                                Promotion.GUARD.equals(c.by()),
                                c.learning()))
                    .toList());
  }

  /**
   * The model's heaviest features.
   *
   * @param encoder the feature schema's id
   * @param modelVersion the model snapshot they come from
   * @param arms per arm, most observed first, its heaviest features
   */
  public record WeightsView(String encoder, long modelVersion, List<FeatureWeights.Arm> arms) {}

  @GET
  @Path("/features")
  @Operation(
      summary =
          "Per arm, the features the model weighs most: |coefficient| × the feature's standard"
              + " deviation, from the model in force")
  public WeightsView features(
      @QueryParam("top") @DefaultValue("8") @Min(1) @Max(50) int top,
      @QueryParam("arms") @DefaultValue("50") @Min(1) @Max(200) int arms) {
    ModelStore.State s = models.state();
    return new WeightsView(
        s.encoderId(),
        s.model().version(),
        FeatureWeights.heaviest(s.model(), models.encoder().names(), top, arms));
  }

  /**
   * The policy that decides now.
   *
   * @param version policy version logged with model decisions
   * @param mode apprentice (manual priority decides, the model is in shadow) or live
   * @param learning live mode's learning phase: until the model's off-policy value clears manual
   *     priority's, decisions are drawn as in apprentice mode (manual priority with the live
   *     policy's canary share); the promotion check ends it
   * @param modeReason why the mode is what it is
   * @param modeSince when it last changed
   * @param modelVersion learning steps so far
   * @param observations decisions learned per arm
   * @param modelShare the canary share: of apprentice decisions (and of live mode's learning
   *     phase), the share drawn from the live policy; it grows with the model's evidence when
   *     {@code apprentice-model-share-max} allows
   * @param encoder the feature schema's id (its names: {@code GET /api/v1/features})
   * @param evidence the running scorecard of the mode in force: in apprentice mode whether the
   *     model may go live, in live mode whether the guard would demote it
   */
  public record PolicyView(
      String version,
      String mode,
      boolean learning,
      String modeReason,
      Instant modeSince,
      long modelVersion,
      Map<String, Long> observations,
      double modelShare,
      String encoder,
      Promotion.Verdict evidence) {}

  @GET
  @Operation(
      summary = "The policy in force, with apprentice mode's match rate and off-policy value")
  public Uni<PolicyView> current() {
    return promotion.verdict().map(v -> view(models.state(), v));
  }

  /**
   * A mode change.
   *
   * @param mode apprentice or live
   * @param reason why (audited with the change)
   * @param learningPhase live only: start in the learning phase (true), which the promotion check
   *     ends (with automatic promotion on; else another switch); by default the model decides fully
   *     live at once
   */
  public record ModeChange(
      @NotNull @Pattern(regexp = "apprentice|live", message = "must be apprentice or live")
          String mode,
      @Size(max = 500) String reason,
      Boolean learningPhase) {}

  @RolesAllowed(Roles.ADMIN)
  @PUT
  @Path("/mode")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Switch between apprentice and live mode")
  public Uni<PolicyView> mode(@Valid @NotNull ModeChange change) {
    Mode mode = "live".equals(change.mode()) ? liveMode(change.learningPhase()) : Mode.APPRENTICE;
    return promotion
        .switchTo(
            mode,
            change.reason() == null ? "set by an operator" : change.reason(),
            Promotion.OPERATOR)
        .chain(() -> promotion.verdict())
        .map(v -> view(models.state(), v));
  }

  /** Live mode fully, or in its learning phase when asked for. */
  private static Mode liveMode(Boolean learningPhase) {
    return Boolean.TRUE.equals(learningPhase) ? Mode.LEARNING : Mode.LIVE;
  }

  private static PolicyView view(ModelStore.State s, Promotion.Verdict verdict) {
    Map<String, Long> observations = new TreeMap<>();
    s.model().stats().forEach((id, arm) -> observations.put(id, arm.count()));
    String encoderId = s.encoderId();
    return new PolicyView(
        s.policyVersion(),
        s.mode().name().toLowerCase(Locale.ROOT),
        s.learning(),
        s.reason(),
        s.changedAt(),
        s.model().version(),
        observations,
        s.modelShare(),
        encoderId,
        verdict);
  }
}
