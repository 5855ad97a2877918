package io.nextbest.content.template;

import java.util.List;
import java.util.Map;

/**
 * A template ready to render.
 *
 * @param id template id
 * @param campaignId campaign, or null for the placement default
 * @param placement placement
 * @param optimizeFor click or conversion
 * @param defaultLocale last fallback locale
 * @param version template version
 * @param variants variants in their declared order
 * @param usesRecs some field reads {@code recs}
 */
public record CompiledTemplate(
    long id,
    String campaignId,
    String placement,
    String optimizeFor,
    String defaultLocale,
    int version,
    List<Variant> variants,
    boolean usesRecs) {

  /** A variant: locale → field → compiled field. */
  public record Variant(String id, Map<String, Map<String, TemplateChecker.Compiled>> locales) {}

  /** The first locale of {@code chain} this variant is written in (the default locale else). */
  public String localeOf(Variant v, List<String> chain) {
    for (String tag : chain) {
      if (v.locales().containsKey(tag)) {
        return tag;
      }
    }
    return defaultLocale;
  }
}
