package io.nextbest.content.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Locale fallback chains from data: a locale's configured fallback, else the tag without its last
 * subtag, ending at the default locale (es-MX → es → en).
 */
public final class Locales {
  private final Map<String, String> fallbacks;
  private final String defaultLocale;

  public Locales(Map<String, String> fallbacks, String defaultLocale) {
    this.fallbacks = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(fallbacks));
    this.defaultLocale = defaultLocale;
  }

  /** The chain for {@code tag}, most specific first; the default locale always ends it. */
  public List<String> chain(String tag) {
    Set<String> chain = new LinkedHashSet<>();
    String current = tag == null || tag.isBlank() ? null : normalize(tag);
    while (current != null && chain.add(current)) {
      String next = fallbacks.get(current);
      if (next == null && !fallbacks.containsKey(current)) {
        int dash = current.lastIndexOf('-');
        next = dash > 0 ? current.substring(0, dash) : null;
      }
      current = next;
    }
    chain.add(defaultLocale);
    return new ArrayList<>(chain);
  }

  public boolean known(String tag) {
    return fallbacks.containsKey(normalize(tag));
  }

  public int size() {
    return fallbacks.size();
  }

  /** es_mx, ES-mx → es-MX; script subtags title-cased (zh-hant → zh-Hant). */
  public static String normalize(String tag) {
    String[] parts = tag.trim().replace('_', '-').split("-");
    StringBuilder b = new StringBuilder(parts[0].toLowerCase(Locale.ROOT));
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      b.append('-');
      if (p.length() == 2) {
        b.append(p.toUpperCase(Locale.ROOT));
      } else if (p.length() == 4) {
        b.append(Character.toUpperCase(p.charAt(0)))
            .append(p.substring(1).toLowerCase(Locale.ROOT));
      } else {
        b.append(p.toLowerCase(Locale.ROOT));
      }
    }
    return b.toString();
  }
}
