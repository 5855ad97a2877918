package io.nextbest.console.rest;

import io.nextbest.console.auth.CurrentUser;
import io.nextbest.console.service.InsightService;
import io.nextbest.console.service.Panel;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Overview and Learning: read-only pages, one panel per service call. */
@Path("/")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class InsightPages {
  private final InsightService insights;
  private final CurrentUser user;
  private final Template overview;
  private final Template learning;

  public InsightPages(
      InsightService insights,
      CurrentUser user,
      @Location("overview.html") Template overview,
      @Location("learning.html") Template learning) {
    this.insights = insights;
    this.user = user;
    this.overview = overview;
    this.learning = learning;
  }

  /** Days the Overview and Learning charts cover unless asked otherwise. */
  static final int DEFAULT_DAYS = 30;

  /** At most a year, as decision-service's daily report. */
  static final int MAX_DAYS = 366;

  @GET
  @Path("overview")
  public Uni<String> overview(@QueryParam("since") String since, @QueryParam("days") String days) {
    String token = user.token();
    int d = days(days);
    // a whole UTC day: the uplift report reads whole days from its rollup
    String s =
        since != null && since.matches("\\d{4}-\\d{2}-\\d{2}")
            ? since + "T00:00:00Z"
            : ninetyDays();
    return Uni.combine()
        .all()
        .unis(
            Panel.of(insights.uplift(token, s)),
            Panel.of(insights.policy(token)),
            Panel.of(insights.daily(token, d)),
            Panel.of(insights.modeHistory(token)),
            Panel.of(insights.deadLetters(token)))
        .with(
            (uplift, policy, daily, history, deadLetters) ->
                overview
                    .data("user", user)
                    .data("uplift", uplift)
                    .data("policy", policy)
                    .data("daily", daily)
                    .data("history", history)
                    .data("deadLetters", deadLetters)
                    .data("days", d))
        .chain(TemplateInstance::createUni);
  }

  /** The start of the UTC day 89 days ago: the last 90 whole days. */
  static String ninetyDays() {
    return LocalDate.now(ZoneOffset.UTC).minusDays(89) + "T00:00:00Z";
  }

  /** The days asked for, within 1 to {@link #MAX_DAYS}; the default for anything else. */
  static int days(String days) {
    if (days != null && days.matches("\\d{1,3}")) {
      int d = Integer.parseInt(days);
      if (d >= 1 && d <= MAX_DAYS) {
        return d;
      }
    }
    return DEFAULT_DAYS;
  }

  @GET
  @Path("learning")
  public Uni<String> learning(@QueryParam("days") String days) {
    String token = user.token();
    int d = days(days);
    return Uni.combine()
        .all()
        .unis(
            Panel.of(insights.policy(token)),
            Panel.of(insights.uplift(token, ninetyDays())),
            Panel.of(insights.features(token)),
            Panel.of(insights.daily(token, d)),
            Panel.of(insights.weights(token)))
        .with(
            (policy, uplift, features, daily, weights) ->
                learning
                    .data("user", user)
                    .data("policy", policy)
                    .data(
                        "offPolicy", policy.ok() ? InsightService.offPolicy(policy.value()) : null)
                    .data("uplift", uplift)
                    .data("features", features)
                    .data("daily", daily)
                    .data("weights", weights)
                    .data("days", d))
        .chain(TemplateInstance::createUni);
  }
}
