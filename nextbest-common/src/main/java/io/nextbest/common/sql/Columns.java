package io.nextbest.common.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One column of a batch of rows, as the typed array a set-based statement takes and unnests
 * server-side ({@code insert … select … from unnest($1::text[], …)}): a whole batch in one
 * statement instead of one per row. A null value stays null.
 */
public final class Columns {
  private Columns() {}

  public static <T> String[] texts(List<T> rows, Function<T, String> column) {
    return column(rows, column, String[]::new);
  }

  public static <T> Double[] doubles(List<T> rows, Function<T, Double> column) {
    return column(rows, column, Double[]::new);
  }

  public static <T> Long[] longs(List<T> rows, Function<T, Long> column) {
    return column(rows, column, Long[]::new);
  }

  public static <T> Integer[] ints(List<T> rows, Function<T, Integer> column) {
    return column(rows, column, Integer[]::new);
  }

  public static <T> Boolean[] booleans(List<T> rows, Function<T, Boolean> column) {
    return column(rows, column, Boolean[]::new);
  }

  /** Instants as {@code timestamptz} values (UTC). */
  public static <T> OffsetDateTime[] times(List<T> rows, Function<T, Instant> column) {
    return column(
        rows,
        r -> {
          Instant t = column.apply(r);
          return t == null ? null : t.atOffset(ZoneOffset.UTC);
        },
        OffsetDateTime[]::new);
  }

  private static <T, V> V[] column(List<T> rows, Function<T, V> column, IntFunction<V[]> array) {
    V[] out = array.apply(rows.size());
    for (int i = 0; i < out.length; i++) {
      out[i] = column.apply(rows.get(i));
    }
    return out;
  }
}
