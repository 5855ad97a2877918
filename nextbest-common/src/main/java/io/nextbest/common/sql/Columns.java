package io.nextbest.common.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/**
 * One column of a batch of rows, as the typed array a set-based statement takes and unnests
 * server-side ({@code insert … select … from unnest($1::text[], …)}): a whole batch in one
 * statement instead of one per row. A null value stays null.
 */
public final class Columns {
  private Columns() {}

  public static <T> String[] texts(List<T> rows, Function<T, String> column) {
    String[] out = new String[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }

  public static <T> Double[] doubles(List<T> rows, Function<T, Double> column) {
    Double[] out = new Double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }

  public static <T> Long[] longs(List<T> rows, Function<T, Long> column) {
    Long[] out = new Long[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }

  public static <T> Integer[] ints(List<T> rows, Function<T, Integer> column) {
    Integer[] out = new Integer[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }

  public static <T> Boolean[] booleans(List<T> rows, Function<T, Boolean> column) {
    Boolean[] out = new Boolean[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }

  /** Instants as {@code timestamptz} values (UTC). */
  public static <T> OffsetDateTime[] times(List<T> rows, Function<T, Instant> column) {
    OffsetDateTime[] out = new OffsetDateTime[rows.size()];
    for (int i = 0; i < out.length; i++) {
      Instant t = column.apply(rows.get(i));
      out[i] = t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
    return out;
  }
}
