package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/** The locales content is written in and each one's fallback ({@code locales}). */
@ApplicationScoped
public class LocaleRepository {
  private final Pool pool;

  public LocaleRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every locale's fallback, by locale tag. */
  public Uni<Map<String, String>> fallbacks() {
    return pool.query("select tag, fallback from locales")
        .execute()
        .map(
            rows -> {
              Map<String, String> out = new HashMap<>();
              for (Row r : rows) {
                out.put(r.getString("tag"), r.getString("fallback"));
              }
              return out;
            });
  }
}
