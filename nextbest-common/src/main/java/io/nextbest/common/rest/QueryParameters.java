package io.nextbest.common.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Finds the query parameter whose value the REST layer could not convert to its Java type and says
 * what it accepts, from the type and its {@code @Min}/{@code @Max} (or decimal) bounds. Quarkus
 * REST answers such a value ({@code ?limit=abc}, {@code ?limit=99999999999} for an int) with a bare
 * 404, as JAX-RS prescribes; the caller's mistake is a 400 that names the parameter.
 */
final class QueryParameters {
  /** Longest part of a refused value echoed back. */
  static final int ECHO = 40;

  private QueryParameters() {}

  /**
   * The first query parameter of {@code method} whose value in {@code query} cannot be converted,
   * as a field error, or null when every value converts (the failure was elsewhere).
   */
  static Problem.FieldError unconvertible(Method method, MultivaluedMap<String, String> query) {
    if (method == null || query == null) {
      return null;
    }
    for (Parameter p : method.getParameters()) {
      QueryParam name = p.getAnnotation(QueryParam.class);
      if (name == null) {
        continue;
      }
      List<String> values = query.get(name.value());
      if (values == null) {
        continue;
      }
      for (String v : values) {
        if (!converts(p.getType(), v)) {
          return new Problem.FieldError(name.value(), accepted(p) + "; got '" + echo(v) + "'");
        }
      }
    }
    return null;
  }

  private static boolean converts(Class<?> type, String value) {
    String v = value == null ? "" : value;
    try {
      if (type == int.class || type == Integer.class) {
        Integer.parseInt(v);
      } else if (type == long.class || type == Long.class) {
        Long.parseLong(v);
      } else if (type == short.class || type == Short.class) {
        Short.parseShort(v);
      } else if (type == byte.class || type == Byte.class) {
        Byte.parseByte(v);
      } else if (type == double.class || type == Double.class) {
        Double.parseDouble(v);
      } else if (type == float.class || type == Float.class) {
        Float.parseFloat(v);
      } else if (type.isEnum()) {
        return Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.toString().equals(v));
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** What a parameter accepts, e.g. "must be a whole number from 1 to 1000". */
  static String accepted(Parameter p) {
    Class<?> type = p.getType();
    if (type.isEnum()) {
      return "must be one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    boolean whole =
        type == int.class
            || type == Integer.class
            || type == long.class
            || type == Long.class
            || type == short.class
            || type == Short.class
            || type == byte.class
            || type == Byte.class;
    Min min = p.getAnnotation(Min.class);
    Max max = p.getAnnotation(Max.class);
    DecimalMin dmin = p.getAnnotation(DecimalMin.class);
    DecimalMax dmax = p.getAnnotation(DecimalMax.class);
    String low = min != null ? Long.toString(min.value()) : dmin != null ? dmin.value() : null;
    String high = max != null ? Long.toString(max.value()) : dmax != null ? dmax.value() : null;
    if (whole) {
      // without bounds of its own, the type's range is the bound
      low = low != null ? low : Long.toString(smallest(type));
      high = high != null ? high : Long.toString(largest(type));
    }
    String what = whole ? "must be a whole number" : "must be a number";
    if (low != null && high != null) {
      return String.format(Locale.ROOT, "%s from %s to %s", what, low, high);
    }
    if (low != null) {
      return what + " of at least " + low;
    }
    return high != null ? what + " of at most " + high : what;
  }

  private static long smallest(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return Integer.MIN_VALUE;
    }
    if (type == short.class || type == Short.class) {
      return Short.MIN_VALUE;
    }
    return type == byte.class || type == Byte.class ? Byte.MIN_VALUE : Long.MIN_VALUE;
  }

  private static long largest(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return Integer.MAX_VALUE;
    }
    if (type == short.class || type == Short.class) {
      return Short.MAX_VALUE;
    }
    return type == byte.class || type == Byte.class ? Byte.MAX_VALUE : Long.MAX_VALUE;
  }

  private static String echo(String v) {
    String s = v == null ? "" : v;
    return s.length() <= ECHO ? s : s.substring(0, ECHO) + "…";
  }
}
