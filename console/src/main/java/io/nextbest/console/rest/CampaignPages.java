package io.nextbest.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.console.auth.Csrf;
import io.nextbest.console.auth.CurrentUser;
import io.nextbest.console.client.ServiceRefusedException;
import io.nextbest.console.config.ConsoleConfig;
import io.nextbest.console.service.CampaignForm;
import io.nextbest.console.service.CampaignService;
import io.nextbest.console.service.Panel;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Campaigns: the list, a campaign's form with live CEL checking, its dry run and its history. */
@Path("/campaigns")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.MARKETER})
@Produces(MediaType.TEXT_HTML)
public class CampaignPages {
  /** The most customers a dry run walks from the console. */
  static final long DRY_RUN_LIMIT = 10_000;

  /** Customers the dry run names, linked to their page. */
  static final int DRY_RUN_EXAMPLES = 10;

  private final CampaignService campaigns;
  private final CurrentUser user;
  private final Csrf csrf;
  private final ConsoleConfig config;
  private final Template list;
  private final Template form;
  private final Template check;
  private final Template dryRun;

  public CampaignPages(
      CampaignService campaigns,
      CurrentUser user,
      Csrf csrf,
      ConsoleConfig config,
      @Location("campaigns.html") Template list,
      @Location("campaign-form.html") Template form,
      @Location("campaign-check.html") Template check,
      @Location("campaign-dry-run.html") Template dryRun) {
    this.campaigns = campaigns;
    this.user = user;
    this.csrf = csrf;
    this.config = config;
    this.list = list;
    this.form = form;
    this.check = check;
    this.dryRun = dryRun;
  }

  @GET
  public Uni<String> list(
      @QueryParam("status") String status, @QueryParam("offset") String offsetParam) {
    String token = user.token();
    String s = QueryBounds.status(status);
    int offset = QueryBounds.offset(offsetParam);
    return Uni.combine()
        .all()
        .unis(
            Panel.of(campaigns.page(token, s, offset, config.pageSize())),
            Panel.of(campaigns.lastSevenDays(token)))
        .with(
            (page, recent) ->
                list.data("user", user)
                    .data("page", page)
                    .data("recent", recent.ok() ? recent.value() : Map.of())
                    .data("recentProblem", recent.problem())
                    .data("status", s))
        .chain(TemplateInstance::createUni);
  }

  @GET
  @Path("/new")
  public String create() {
    return editor(null, CampaignForm.blank(), List.of(), null, null).render();
  }

  @GET
  @Path("/{id}")
  public Uni<String> edit(@PathParam("id") String id) {
    String token = user.token();
    return Uni.combine()
        .all()
        .unis(Panel.of(campaigns.get(token, id)), Panel.of(campaigns.history(token, id)))
        .with(
            (stored, history) ->
                stored.ok()
                    ? editor(id, CampaignForm.of(stored.value()), List.of(), history, null)
                    : editor(id, Map.of("id", id), List.of(), history, stored.problem()))
        .chain(TemplateInstance::createUni);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Uni<Response> save(MultivaluedMap<String, String> posted) {
    return save(null, posted);
  }

  @POST
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Uni<Response> update(@PathParam("id") String id, MultivaluedMap<String, String> posted) {
    return save(id, posted);
  }

  private Uni<Response> save(String id, MultivaluedMap<String, String> posted) {
    csrf.verify(posted.getFirst(Csrf.FIELD));
    CampaignForm.Parsed parsed = CampaignForm.read(posted, campaigns.json());
    if (!parsed.problems().isEmpty()) {
      return Uni.createFrom().item(invalid(id, parsed.fields(), parsed.problems()));
    }
    String token = user.token();
    Uni<JsonNode> saved =
        id == null
            ? campaigns.create(token, parsed.spec())
            : campaigns.update(token, id, parsed.spec());
    return saved
        .map(
            v ->
                Response.seeOther(
                        URI.create(
                            "/campaigns/"
                                + io.nextbest.console.client.ServiceClient.segment(
                                    v.path("campaign").path("id").asText(id == null ? "" : id))))
                    .build())
        .onFailure(ServiceRefusedException.class)
        .recoverWithItem(
            e ->
                invalid(
                    id,
                    parsed.fields(),
                    CampaignForm.problems((ServiceRefusedException) e, parsed.fields())));
  }

  private Response invalid(String id, Map<String, String> fields, List<CampaignForm.Problem> p) {
    return Response.status(400)
        .type(MediaType.TEXT_HTML_TYPE)
        .entity(editor(id, fields, p, null, null).render())
        .build();
  }

  /** Live validation: the campaign as typed so far, checked by eligibility-service. */
  @POST
  @Path("/check")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Uni<String> check(MultivaluedMap<String, String> posted) {
    csrf.verify(posted.getFirst(Csrf.FIELD));
    CampaignForm.Parsed parsed = CampaignForm.read(posted, campaigns.json());
    if (!parsed.problems().isEmpty()) {
      return check.data("problems", parsed.problems()).data("down", null).createUni();
    }
    if (!parsed.spec().has("id")) {
      parsed.spec().put("id", "draft-check");
    }
    return campaigns
        .validate(user.token(), parsed.spec())
        .map(v -> check.data("problems", List.of()).data("down", null))
        .onFailure(ServiceRefusedException.class)
        .recoverWithItem(
            e ->
                check
                    .data(
                        "problems",
                        CampaignForm.problems((ServiceRefusedException) e, parsed.fields()))
                    .data("down", null))
        .onFailure()
        .recoverWithItem(e -> check.data("problems", List.of()).data("down", Panel.message(e)))
        .chain(TemplateInstance::createUni);
  }

  /** How many customers the rule selects now (eligibility-service's dry run). */
  @POST
  @Path("/dry-run")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Uni<String> dryRun(MultivaluedMap<String, String> posted) {
    csrf.verify(posted.getFirst(Csrf.FIELD));
    CampaignForm.Parsed parsed = CampaignForm.read(posted, campaigns.json());
    if (!parsed.spec().has("id")) {
      parsed.spec().put("id", "dry-run");
    }
    return Panel.of(
            campaigns
                .dryRun(user.token(), parsed.spec(), DRY_RUN_LIMIT, DRY_RUN_EXAMPLES)
                .map(r -> campaigns.json().convertValue(r, Map.class)))
        .map(p -> dryRun.data("result", p))
        .chain(TemplateInstance::createUni);
  }

  private TemplateInstance editor(
      String id,
      Map<String, String> fields,
      List<CampaignForm.Problem> problems,
      Panel<List<CampaignService.Change>> history,
      String loadProblem) {
    return form.data("user", user)
        .data("id", id)
        .data("f", CampaignForm.complete(fields))
        .data("channels", CampaignForm.channels(fields))
        .data("problems", problems)
        .data("history", history)
        .data("loadProblem", loadProblem);
  }
}
