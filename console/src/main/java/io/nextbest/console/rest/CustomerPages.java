package io.nextbest.console.rest;

import io.nextbest.console.auth.Csrf;
import io.nextbest.console.auth.CurrentUser;
import io.nextbest.console.client.ServiceClient;
import io.nextbest.console.client.ServiceRefusedException;
import io.nextbest.console.service.CustomerService;
import io.nextbest.console.service.Panel;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Customer: search by id; profile, consents, predictions, segments and what they may receive now
 * with the reasons for every exclusion; export and erase for admins, erase after a confirmation.
 */
@Path("/customers")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class CustomerPages {
  /** Longer than any customer id the services take. */
  static final int MAX_ID = 200;

  /** Longer than any cursor decision-service gives. */
  static final int MAX_CURSOR = 700;

  private final CustomerService customers;
  private final CurrentUser user;
  private final Csrf csrf;
  private final Template search;
  private final Template customer;
  private final Template confirm;

  public CustomerPages(
      CustomerService customers,
      CurrentUser user,
      Csrf csrf,
      @Location("customers.html") Template search,
      @Location("customer.html") Template customer,
      @Location("customer-erase.html") Template confirm) {
    this.customers = customers;
    this.user = user;
    this.csrf = csrf;
    this.search = search;
    this.customer = customer;
    this.confirm = confirm;
  }

  /** The search form, a page of ids (cursor), or the customer found by id. */
  @GET
  public Uni<Response> search(@QueryParam("id") String id, @QueryParam("after") String after) {
    if (id != null && !id.isBlank()) {
      return Uni.createFrom()
          .item(
              Response.seeOther(URI.create("/customers/" + ServiceClient.segment(id.strip())))
                  .build());
    }
    String cursor = after != null && after.length() <= MAX_ID ? after : null;
    return Panel.of(customers.ids(user.token(), cursor, 25))
        .map(p -> search.data("user", user).data("ids", p).data("after", cursor))
        .chain(TemplateInstance::createUni)
        .map(html -> Response.ok(html).build());
  }

  @GET
  @Path("/{id}")
  public Uni<String> show(@PathParam("id") String id, @QueryParam("before") String before) {
    if (id.length() > MAX_ID) {
      throw new jakarta.ws.rs.NotFoundException();
    }
    String token = user.token();
    // a cursor is decision-service's own; one too long to be one is not passed on
    String cursor = before != null && before.length() <= MAX_CURSOR ? before : null;
    return Uni.combine()
        .all()
        .unis(
            Panel.of(customers.profile(token, id)),
            Panel.of(customers.eligibility(token, id)),
            Panel.of(customers.decisions(token, id, cursor)))
        .with(
            (profile, eligibility, decisions) ->
                customer
                    .data("user", user)
                    .data("id", id)
                    .data("profile", profile)
                    .data("eligibility", eligibility)
                    .data("decisions", decisions)
                    .data("before", cursor)
                    .data("erased", false))
        .chain(TemplateInstance::createUni);
  }

  /** The confirmation step before an erase: the admin types the id again. */
  @GET
  @Path("/{id}/erase")
  @RolesAllowed(CurrentUser.ADMIN)
  public String confirmErase(@PathParam("id") String id) {
    return confirm.data("user", user).data("id", id).data("problem", null).render();
  }

  @POST
  @Path("/{id}/erase")
  @RolesAllowed(CurrentUser.ADMIN)
  public Uni<Response> erase(
      @PathParam("id") String id,
      @FormParam("confirm") String typed,
      @FormParam(Csrf.FIELD) String field) {
    csrf.verify(field);
    if (typed == null || !typed.equals(id)) {
      return Uni.createFrom()
          .item(
              Response.status(400)
                  .entity(
                      confirm
                          .data("user", user)
                          .data("id", id)
                          .data("problem", "Type the customer id exactly to confirm the erase.")
                          .render())
                  .build());
    }
    return customers
        .erase(user.token(), id)
        .map(
            v ->
                Response.ok(
                        customer
                            .data("user", user)
                            .data("id", id)
                            .data("profile", null)
                            .data("eligibility", null)
                            .data("decisions", null)
                            .data("before", null)
                            .data("erased", true)
                            .render())
                    .build())
        .onFailure(ServiceRefusedException.class)
        .recoverWithItem(
            e ->
                Response.status(((ServiceRefusedException) e).status())
                    .entity(
                        confirm
                            .data("user", user)
                            .data("id", id)
                            .data("problem", Panel.message(e))
                            .render())
                    .build());
  }

  /** Everything profile-service holds on the customer, as a download (admin only). */
  @GET
  @Path("/{id}/export")
  @RolesAllowed(CurrentUser.ADMIN)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> export(@PathParam("id") String id) {
    return customers
        .export(user.token(), id)
        .map(
            body ->
                Response.ok(body)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Content-Disposition", "attachment; filename=\"customer-export.json\"")
                    .build());
  }
}
