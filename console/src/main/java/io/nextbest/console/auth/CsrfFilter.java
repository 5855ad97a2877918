package io.nextbest.console.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Reads the browser's CSRF cookie on every request and sets one when it had none. */
public class CsrfFilter {
  private final Csrf csrf;
  private final Cookies cookies;

  public CsrfFilter(Csrf csrf, Cookies cookies) {
    this.csrf = csrf;
    this.cookies = cookies;
  }

  @ServerRequestFilter(preMatching = true)
  public void read(ContainerRequestContext request) {
    Cookie c = request.getCookies().get(Csrf.COOKIE);
    csrf.begin(c == null ? null : c.getValue());
  }

  @ServerResponseFilter
  public void write(ContainerResponseContext response) {
    if (csrf.isNew()) {
      response
          .getHeaders()
          .add(HttpHeaders.SET_COOKIE, cookies.header(Csrf.COOKIE, csrf.token(), -1));
    }
  }
}
