package io.nextbest.console.rest;

import io.nextbest.console.auth.CurrentUser;
import io.nextbest.console.service.ContentInsights;
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
import java.util.List;

/**
 * Content: templates per placement; a template's variant statistics with their posterior, its daily
 * allocation between variants, and a preview rendered for a customer the person picks (shown in a
 * sandboxed frame: the rendered HTML runs no script in the console).
 */
@Path("/content")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class ContentPages {
  /** Days of allocation a page shows unless asked otherwise, and the most it may ask for. */
  static final int DAYS = 30;

  static final int MAX_DAYS = 366;

  private final ContentInsights content;
  private final CurrentUser user;
  private final Template list;
  private final Template detail;
  private final Template preview;

  public ContentPages(
      ContentInsights content,
      CurrentUser user,
      @Location("content.html") Template list,
      @Location("content-template.html") Template detail,
      @Location("content-preview.html") Template preview) {
    this.content = content;
    this.user = user;
    this.list = list;
    this.detail = detail;
    this.preview = preview;
  }

  @GET
  public Uni<String> list(@QueryParam("placement") String placement) {
    String p = QueryBounds.placement(placement);
    return Panel.of(content.templates(user.token(), p))
        .map(t -> list.data("user", user).data("templates", t).data("placement", p))
        .chain(TemplateInstance::createUni);
  }

  @GET
  @Path("/{id}")
  public Uni<String> template(
      @PathParam("id") long id,
      @QueryParam("days") String days,
      @QueryParam("customerId") String customerId,
      @QueryParam("variant") String variant,
      @QueryParam("locale") String locale) {
    int d = QueryBounds.days(days, DAYS, MAX_DAYS);
    String c = QueryBounds.text("customerId", customerId, QueryBounds.CUSTOMER_ID);
    String v = QueryBounds.variant(variant);
    String l = QueryBounds.locale(locale);
    String token = user.token();
    return Uni.combine()
        .all()
        .unis(
            Panel.of(content.template(token, id)),
            Panel.of(content.stats(token, id)),
            Panel.of(content.allocation(token, id, d)),
            previewOf(token, id, c, v, l))
        .with(
            (t, stats, allocation, shown) ->
                detail
                    .data("user", user)
                    .data("templateId", id)
                    .data("template", t)
                    .data("stats", stats)
                    .data("allocation", allocation)
                    .data("days", d)
                    .data("dayChoices", List.of(7, 30, 90, 365))
                    .data("customerId", c)
                    .data("variant", v)
                    .data("locale", l)
                    .data("preview", shown))
        .chain(TemplateInstance::createUni);
  }

  /** The preview alone, for htmx to swap in as the person picks a customer. */
  @GET
  @Path("/{id}/preview")
  public Uni<String> preview(
      @PathParam("id") long id,
      @QueryParam("customerId") String customerId,
      @QueryParam("variant") String variant,
      @QueryParam("locale") String locale) {
    String c = QueryBounds.text("customerId", customerId, QueryBounds.CUSTOMER_ID);
    String v = QueryBounds.variant(variant);
    String l = QueryBounds.locale(locale);
    return previewOf(user.token(), id, c, v, l)
        .map(p -> preview.data("preview", p).data("customerId", c))
        .chain(TemplateInstance::createUni);
  }

  private Uni<Panel<ContentInsights.Preview>> previewOf(
      String token, long id, String customerId, String variant, String locale) {
    if (customerId == null) {
      return Uni.createFrom().item(new Panel<>(null, null));
    }
    return Panel.of(content.preview(token, id, customerId, variant, locale));
  }
}
