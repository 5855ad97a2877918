package io.nextbest.console.rest;

import io.nextbest.console.auth.CurrentUser;
import io.nextbest.console.service.Panel;
import io.nextbest.console.service.SegmentInsights;
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
import java.util.List;

/**
 * Segments: rule and fitted segments with their sizes, the K-means centroids in words, and for the
 * segment picked ({@code ?members=}) its size over time and its members a page at a time.
 */
@Path("/segments")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class SegmentPages {
  static final int DAYS = 30;
  static final int MAX_DAYS = 400;

  /** Segment ids and member cursors (customer ids) as profile-service accepts them. */
  static final int ID = 128;

  private final SegmentInsights segments;
  private final CurrentUser user;
  private final Template page;

  public SegmentPages(
      SegmentInsights segments, CurrentUser user, @Location("segments.html") Template page) {
    this.segments = segments;
    this.user = user;
    this.page = page;
  }

  @GET
  public Uni<String> segments(
      @QueryParam("members") String members,
      @QueryParam("after") String after,
      @QueryParam("days") String days) {
    String m = QueryBounds.text("members", members, ID);
    String a = QueryBounds.text("after", after, ID);
    int d = QueryBounds.days(days, DAYS, MAX_DAYS);
    String token = user.token();
    return Uni.combine()
        .all()
        .unis(
            Panel.of(segments.segments(token)),
            Panel.of(segments.model(token)),
            m == null
                ? Uni.createFrom().item(new Panel<SegmentInsights.Members>(null, null))
                : Panel.of(segments.members(token, m, a)),
            m == null
                ? Uni.createFrom().item(new Panel<SegmentInsights.History>(null, null))
                : Panel.of(segments.history(token, m, d)))
        .with(
            (list, model, page1, history) ->
                page.data("user", user)
                    .data("segments", list)
                    .data("model", model)
                    .data("members", page1)
                    .data("history", history)
                    .data("segmentId", m)
                    .data("days", d)
                    .data("dayChoices", List.of(7, 30, 90, 365)))
        .chain(TemplateInstance::createUni);
  }
}
