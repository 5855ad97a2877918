package io.nextbest.content.service;

import io.nextbest.content.template.TemplateChecker;
import io.quarkus.qute.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders compiled fields and the escaped HTML fragment frontends may insert as it is. */
public final class ContentRenderer {
  private ContentRenderer() {}

  /** The most characters one field may render to; a template that writes more fails. */
  public static final int MAX_OUTPUT = TemplateChecker.MAX_OUTPUT;

  /**
   * Renders each field over {@code data} ({@link io.nextbest.content.template.TemplateModel#data}).
   * A field whose output passes {@link #MAX_OUTPUT} stops rendering there and fails with a {@link
   * TemplateException}, however its loops were written.
   */
  public static Map<String, String> render(
      Map<String, TemplateChecker.Compiled> fields, Map<String, Object> data) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((name, compiled) -> out.put(name, compiled.render(data).trim()));
    return out;
  }

  /**
   * The rendered fields a frontend may use as they are: a {@code url} or {@code image} only with an
   * http(s) or site-relative address (never {@code javascript:} or {@code data:}), colours only as
   * colour names or hex; any other value of those fields is left out.
   */
  public static Map<String, String> safe(Map<String, String> fields) {
    Map<String, String> out = new LinkedHashMap<>(fields);
    for (String f : new String[] {"url", "image"}) {
      if (out.containsKey(f) && !isSafeUrl(out.get(f))) {
        out.remove(f);
      }
    }
    for (String f : new String[] {"background", "foreground", "accent"}) {
      if (out.containsKey(f) && !isColour(out.get(f))) {
        out.remove(f);
      }
    }
    return out;
  }

  /** The fields as an HTML fragment, every value escaped, links only to http(s) or the site. */
  public static String html(String placement, Map<String, String> fields) {
    StringBuilder b = new StringBuilder(256);
    b.append("<section class=\"nb-content\" data-placement=\"")
        .append(escape(placement))
        .append('"');
    String bg = fields.get("background");
    String fg = fields.get("foreground");
    if (isColour(bg) || isColour(fg)) {
      b.append(" style=\"");
      if (isColour(bg)) {
        b.append("background:").append(bg).append(';');
      }
      if (isColour(fg)) {
        b.append("color:").append(fg).append(';');
      }
      b.append('"');
    }
    b.append('>');
    String image = fields.get("image");
    if (isSafeUrl(image)) {
      b.append("<img class=\"nb-image\" alt=\"\" src=\"").append(escape(image)).append("\">");
    }
    String heading = fields.containsKey("headline") ? fields.get("headline") : fields.get("title");
    if (heading != null) {
      b.append("<h2>").append(escape(heading)).append("</h2>");
    }
    if (fields.get("body") != null) {
      b.append("<p>").append(escape(fields.get("body"))).append("</p>");
    }
    if (fields.get("cta") != null) {
      String url = fields.get("url");
      b.append("<a class=\"nb-cta\" href=\"")
          .append(isSafeUrl(url) ? escape(url) : "#")
          .append("\">")
          .append(escape(fields.get("cta")))
          .append("</a>");
    }
    return b.append("</section>").toString();
  }

  static boolean isSafeUrl(String url) {
    return url != null
        && !url.isBlank()
        && (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("/"))
        && !url.startsWith("//");
  }

  static boolean isColour(String c) {
    return c != null && c.matches("#[0-9A-Fa-f]{3,8}|[a-z]{3,20}");
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
