package io.nextbest.console.rest;

import io.nextbest.console.auth.CsrfRefusedException;
import io.nextbest.console.client.ServiceDownException;
import io.nextbest.console.client.ServiceRefusedException;
import io.nextbest.console.service.Panel;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as pages: never a stack trace, always what to do next. */
public class ErrorPages {
  private final Template error;

  public ErrorPages(@Location("error.html") Template error) {
    this.error = error;
  }

  /** Not signed in, or the session's token expired: to the sign-in page (htmx follows too). */
  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response signIn(HttpHeaders headers) {
    if (headers.getHeaderString("HX-Request") != null) {
      return Response.status(401).header("HX-Redirect", "/sign-in").build();
    }
    return Response.seeOther(URI.create("/sign-in")).build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return page(403, "Not for your role", "Your role may not do this. Ask an admin.");
  }

  @ServerExceptionMapper
  public Response csrf(CsrfRefusedException e) {
    return page(403, "Form refused", e.getMessage());
  }

  /** A query parameter out of its bounds ({@link QueryBounds}): what it accepts. */
  @ServerExceptionMapper
  public Response badRequest(BadRequestException e) {
    return page(400, "Bad request", e.getMessage());
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return page(404, "Not found", "There is no such page.");
  }

  /** A service refused an action outside a panel (an export): its own message, its status. */
  @ServerExceptionMapper
  public Response refused(ServiceRefusedException e) {
    int status = e.status() >= 400 && e.status() < 500 ? e.status() : 400;
    return page(status, "Refused", Panel.message(e));
  }

  @ServerExceptionMapper
  public Response down(ServiceDownException e) {
    return page(503, "A service is down", e.getMessage() + ". Try again shortly.");
  }

  private Response page(int status, String title, String detail) {
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(
            error
                .data("user", null)
                .data("title", title)
                .data("detail", detail)
                .data("status", status)
                .render())
        .build();
  }
}
