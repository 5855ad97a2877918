package io.nextbest.content.service;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Renders content fields as Qute templates over the customer's profile; parsed once, cached. */
@ApplicationScoped
public class ContentRenderer {
  private final Engine engine;
  private final Map<String, Template> parsed = new ConcurrentHashMap<>();

  public ContentRenderer(Engine engine) {
    this.engine = engine;
  }

  /** Renders each field with {@code profile} bound to the profile attributes. */
  public Map<String, String> render(Map<String, String> fields, Map<String, Object> profile) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach(
        (name, source) ->
            out.put(
                name,
                parsed.computeIfAbsent(source, engine::parse).data("profile", profile).render()));
    return out;
  }

  /** The fields as an HTML fragment, every value escaped. */
  public static String html(String placement, Map<String, String> fields) {
    return "<section class=\"nb-content\" data-placement=\""
        + escape(placement)
        + "\"><h2>"
        + escape(fields.get("headline"))
        + "</h2><p>"
        + escape(fields.get("body"))
        + "</p><a class=\"nb-cta\">"
        + escape(fields.get("cta"))
        + "</a></section>";
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
