package io.nextbest.console.rest;

import io.nextbest.console.client.ServiceClient;
import io.quarkus.qute.TemplateExtension;

/** Helpers for the console's templates. */
@TemplateExtension
public class TemplateExtensions {
  private TemplateExtensions() {}

  /** A value percent-encoded for a URL path or query ({@code {id.url}}); HTML escaping follows. */
  static String url(String value) {
    return value == null ? "" : ServiceClient.segment(value);
  }
}
