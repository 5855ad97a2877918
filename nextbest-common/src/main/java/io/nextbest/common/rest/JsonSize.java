package io.nextbest.common.rest;

import java.util.List;
import java.util.Map;

/**
 * Bounds of a free-form JSON value as Jackson maps it (maps, lists, strings, numbers, booleans,
 * null): its length in characters of compact JSON and its nesting depth. Inputs with free-form
 * parts (traits, custom event properties, template fields) check both where they enter, so no
 * record grows past what the broker takes.
 */
public final class JsonSize {
  private JsonSize() {}

  /**
   * The value's compact JSON length in characters (strings unescaped), counted only until it passes
   * {@code limit}: a result above {@code limit} means "too large", not the exact size.
   */
  public static long length(Object value, long limit) {
    long[] n = {0};
    add(value, n, limit);
    return n[0];
  }

  /** Nesting depth: 0 for a scalar, 1 for an object or array of scalars. */
  public static int depth(Object value) {
    if (value instanceof Map<?, ?> m) {
      int d = 0;
      for (Object v : m.values()) {
        d = Math.max(d, depth(v));
      }
      return d + 1;
    }
    if (value instanceof List<?> l) {
      int d = 0;
      for (Object v : l) {
        d = Math.max(d, depth(v));
      }
      return d + 1;
    }
    return 0;
  }

  /**
   * The first bound the value breaks, as a reason for a problem document, or null.
   *
   * @param maxChars compact JSON length allowed
   * @param maxDepth nesting allowed
   */
  public static String problem(Object value, long maxChars, int maxDepth) {
    if (depth(value) > maxDepth) {
      return "must nest at most " + maxDepth + " levels deep";
    }
    if (length(value, maxChars) > maxChars) {
      return "must be at most " + maxChars + " characters of JSON";
    }
    if (holdsNul(value)) {
      return "must not contain the NUL character (\\u0000), which PostgreSQL cannot store";
    }
    return null;
  }

  /** Whether a key or a string anywhere in the value holds the character U+0000. */
  public static boolean holdsNul(Object value) {
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (holdsNul(e.getKey()) || holdsNul(e.getValue())) {
          return true;
        }
      }
    } else if (value instanceof List<?> l) {
      for (Object o : l) {
        if (holdsNul(o)) {
          return true;
        }
      }
    } else if (value instanceof CharSequence s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static void add(Object v, long[] n, long limit) {
    if (n[0] > limit) {
      return;
    }
    if (v instanceof Map<?, ?> m) {
      n[0] += 2;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n[0] += String.valueOf(e.getKey()).length() + 4; // "key":,
        add(e.getValue(), n, limit);
        if (n[0] > limit) {
          return;
        }
      }
    } else if (v instanceof List<?> l) {
      n[0] += 2;
      for (Object o : l) {
        n[0] += 1;
        add(o, n, limit);
        if (n[0] > limit) {
          return;
        }
      }
    } else if (v instanceof CharSequence s) {
      n[0] += s.length() + 2;
    } else {
      n[0] += String.valueOf(v).length();
    }
  }
}
