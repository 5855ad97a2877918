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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Overview, Learning, Content and Segments: read-only pages, one panel per service call. */
@Path("/")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class InsightPages {
  private final InsightService insights;
  private final CurrentUser user;
  private final Template overview;
  private final Template learning;
  private final Template content;
  private final Template segments;

  public InsightPages(
      InsightService insights,
      CurrentUser user,
      @Location("overview.html") Template overview,
      @Location("learning.html") Template learning,
      @Location("content.html") Template content,
      @Location("segments.html") Template segments) {
    this.insights = insights;
    this.user = user;
    this.overview = overview;
    this.learning = learning;
    this.content = content;
    this.segments = segments;
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

  @GET
  @Path("content")
  public Uni<String> content(@QueryParam("placement") String placement) {
    String p = placement != null && placement.length() <= 64 ? placement : null;
    return Panel.of(insights.templates(user.token(), p))
        .map(
            t ->
                content
                    .data("user", user)
                    .data("templates", t)
                    .data("placement", p)
                    .data("stats", null)
                    .data("templateId", null))
        .chain(TemplateInstance::createUni);
  }

  @GET
  @Path("content/{id}")
  public Uni<String> templateStats(@PathParam("id") long id) {
    String token = user.token();
    return Uni.combine()
        .all()
        .unis(
            Panel.of(insights.templates(token, null)), Panel.of(insights.templateStats(token, id)))
        .with(
            (t, stats) ->
                content
                    .data("user", user)
                    .data("templates", t)
                    .data("placement", null)
                    .data("stats", stats)
                    .data("templateId", id))
        .chain(TemplateInstance::createUni);
  }

  @GET
  @Path("segments")
  public Uni<String> segments(
      @QueryParam("members") String members, @QueryParam("after") String after) {
    String token = user.token();
    String m = members != null && members.length() <= 128 ? members : null;
    String a = after != null && after.length() <= 128 ? after : null;
    return Uni.combine()
        .all()
        .unis(
            Panel.of(insights.segments(token)),
            Panel.of(insights.segmentModel(token)),
            m == null
                ? Uni.createFrom().<Panel<java.util.Map<String, Object>>>nullItem()
                : Panel.of(insights.members(token, m, a)))
        .with(
            (list, model, page) ->
                segments
                    .data("user", user)
                    .data("segments", list)
                    .data("model", model)
                    .data("members", page)
                    .data("segmentId", m))
        .chain(TemplateInstance::createUni);
  }
}
