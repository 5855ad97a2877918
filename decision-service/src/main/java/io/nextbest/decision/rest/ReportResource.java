package io.nextbest.decision.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.decision.messaging.DeadLetterCounts;
import io.nextbest.decision.report.DailyReport;
import io.nextbest.decision.report.Evaluations;
import io.nextbest.decision.report.OffPolicy;
import io.nextbest.decision.report.UpliftReport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Proof of uplift and off-policy evaluation. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {
  private final UpliftReport uplift;
  private final Evaluations evaluations;
  private final DailyReport daily;
  private final DeadLetterCounts deadLetters;

  public ReportResource(
      UpliftReport uplift,
      Evaluations evaluations,
      DailyReport daily,
      DeadLetterCounts deadLetters) {
    this.uplift = uplift;
    this.evaluations = evaluations;
    this.daily = daily;
    this.deadLetters = deadLetters;
  }

  @GET
  @Path("/reports/daily")
  @Operation(
      summary =
          "Decisions per day by rule, each campaign's decisions by rule and exploration share,"
              + " and the programme's uplift against the global control day by day")
  public Uni<DailyReport.Report> daily(
      @QueryParam("days") @DefaultValue("30") @Min(1) @Max(366) int days) {
    return daily.compute(days);
  }

  @GET
  @Path("/reports/dead-letters")
  @Operation(
      summary =
          "Records retained on each dead-letter topic of the suite (503 when Kafka does not"
              + " answer within 2 s)")
  public Uni<List<DeadLetterCounts.Count>> deadLetters() {
    return deadLetters.counts();
  }

  @GET
  @Path("/reports/uplift")
  @Operation(
      summary =
          "Uplift per campaign vs its control group and of the programme vs the global control"
              + " group, with intervals, sample-ratio check and an always-valid test")
  public Uni<UpliftReport.Report> uplift(@QueryParam("since") String since) {
    return uplift.compute(instant("since", since, Instant.now().minus(Duration.ofDays(90))));
  }

  /**
   * A candidate policy to evaluate on the logged decisions.
   *
   * @param policy model, greedy, manual or random
   * @param epsilon its exploration rate (model and manual)
   * @param cap at most {@code cap.max} sends per customer in {@code cap.days} days
   * @param since decisions from (default 90 days ago)
   * @param limit most recent decisions used, at most 500,000 (default 100,000)
   */
  public record EvaluationRequest(
      @NotNull
          @Pattern(
              regexp = "model|greedy|manual|random",
              message = "must be one of model, greedy, manual, random")
          String policy,
      @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Double epsilon,
      @Valid Cap cap,
      String since,
      @Min(1) @Max(500_000) Integer limit) {}

  /**
   * A frequency cap.
   *
   * @param max sends at most
   * @param days per this many days
   */
  public record Cap(@NotNull @Min(0) Integer max, @NotNull @Min(1) @Max(365) Integer days) {}

  /**
   * Estimates of a candidate policy's value per decision.
   *
   * @param request what was evaluated
   * @param estimates IPS, self-normalized IPS and doubly-robust estimates with 95% intervals
   */
  public record EvaluationResult(EvaluationRequest request, OffPolicy.Estimates estimates) {}

  @POST
  @Path("/evaluations")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Off-policy evaluation of a candidate policy over the logged decisions")
  public Uni<EvaluationResult> evaluate(@Valid @NotNull EvaluationRequest request) {
    var candidate =
        new Evaluations.Candidate(
            request.policy(),
            request.epsilon() == null ? 0 : request.epsilon(),
            request.cap() == null ? null : request.cap().max(),
            request.cap() == null ? null : request.cap().days());
    return evaluations
        .evaluate(
            candidate,
            instant("since", request.since(), Instant.now().minus(Duration.ofDays(90))),
            request.limit() == null ? 100_000 : request.limit())
        .map(e -> new EvaluationResult(request, e));
  }

  static Instant instant(String field, String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          field, "not an ISO-8601 instant such as 2026-01-31T00:00:00Z");
    }
  }
}
