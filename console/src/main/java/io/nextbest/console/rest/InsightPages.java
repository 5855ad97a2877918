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

  @GET
  @Path("overview")
  public Uni<String> overview(@QueryParam("since") String since) {
    String token = user.token();
    String s = since != null && since.matches("\\d{4}-\\d{2}-\\d{2}") ? since + "T00:00:00Z" : null;
    return Uni.combine()
        .all()
        .unis(Panel.of(insights.uplift(token, s)), Panel.of(insights.policy(token)))
        .with(
            (uplift, policy) ->
                overview.data("user", user).data("uplift", uplift).data("policy", policy))
        .chain(TemplateInstance::createUni);
  }

  @GET
  @Path("learning")
  public Uni<String> learning() {
    String token = user.token();
    return Uni.combine()
        .all()
        .unis(
            Panel.of(insights.policy(token)),
            Panel.of(insights.uplift(token, null)),
            Panel.of(insights.features(token)))
        .with(
            (policy, uplift, features) ->
                learning
                    .data("user", user)
                    .data("policy", policy)
                    .data("uplift", uplift)
                    .data("features", features))
        .chain(TemplateInstance::createUni);
  }
}
