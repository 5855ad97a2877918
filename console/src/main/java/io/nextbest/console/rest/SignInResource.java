package io.nextbest.console.rest;

import io.nextbest.console.auth.Cookies;
import io.nextbest.console.auth.Csrf;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Sign-in with a token from {@code bin/nextbest token marketer|admin}: verified with the services'
 * key set and issuer, kept in an HttpOnly, SameSite=Strict cookie until it expires. With the OIDC
 * code flow configured (README) people sign in at the identity provider instead.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {
  /** A longer paste is not a NextBest token. */
  static final int MAX_TOKEN = 8192;

  private final Template signIn;
  private final JWTParser parser;
  private final Csrf csrf;
  private final Cookies cookies;

  public SignInResource(
      @Location("sign-in.html") Template signIn, JWTParser parser, Csrf csrf, Cookies cookies) {
    this.signIn = signIn;
    this.parser = parser;
    this.csrf = csrf;
    this.cookies = cookies;
  }

  @GET
  public Response home() {
    return Response.seeOther(URI.create("/overview")).build();
  }

  @GET
  @Path("sign-in")
  public String page() {
    return signIn.data("user", null).data("error", null).render();
  }

  @POST
  @Path("sign-in")
  @Blocking
  public Response signIn(@FormParam("token") String token, @FormParam(Csrf.FIELD) String field) {
    csrf.verify(field);
    String t = token == null ? "" : token.strip();
    String error = null;
    JsonWebToken jwt = null;
    if (t.isEmpty()) {
      error = "Paste a token (bin/nextbest token marketer).";
    } else if (t.length() > MAX_TOKEN || !t.matches("[A-Za-z0-9_\\-.]+")) {
      error = "That is not a NextBest token: a token is three base64url parts joined by dots.";
    } else {
      try {
        jwt = parser.parse(t);
        if (!jwt.getGroups().contains("marketer") && !jwt.getGroups().contains("admin")) {
          error = "This token has neither the marketer nor the admin role.";
        }
      } catch (ParseException e) {
        error = "The token was refused: it is expired, not signed by NextBest's key, or damaged.";
      }
    }
    if (error != null) {
      return Response.status(400)
          .entity(signIn.data("user", null).data("error", error).render())
          .build();
    }
    long ttl = Math.max(0, jwt.getExpirationTime() - System.currentTimeMillis() / 1000);
    return Response.seeOther(URI.create("/overview"))
        .header(HttpHeaders.SET_COOKIE, cookies.header(Cookies.SESSION, t, ttl))
        .build();
  }

  @POST
  @Path("sign-out")
  public Response signOut(@FormParam(Csrf.FIELD) String field) {
    csrf.verify(field);
    return Response.seeOther(URI.create("/sign-in"))
        .header(HttpHeaders.SET_COOKIE, cookies.header(Cookies.SESSION, "", 0))
        .build();
  }
}
