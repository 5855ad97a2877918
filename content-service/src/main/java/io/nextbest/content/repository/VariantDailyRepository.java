package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Each variant's impressions per UTC day with their clicks and conversions ({@code variant_daily}):
 * the allocation over time. Written only by the outcomes consumer, in the transaction that stores
 * the impressions it counts.
 */
@ApplicationScoped
public class VariantDailyRepository {
  /**
   * One variant's day.
   *
   * @param templateId its template
   * @param day the UTC day the impressions were shown
   * @param variantId the variant
   * @param impressions impressions shown that day
   * @param clicks clicks on them (whenever clicked)
   * @param conversions conversions of them
   */
  public record VariantDay(
      long templateId,
      LocalDate day,
      String variantId,
      long impressions,
      long clicks,
      long conversions) {}

  private final Pool pool;

  public VariantDailyRepository(Pool pool) {
    this.pool = pool;
  }

  /** A template's days from {@code since} on, oldest first, variants in id order. */
  public Uni<List<VariantDay>> forTemplate(long templateId, LocalDate since) {
    return pool.preparedQuery(
            "select day, variant_id, impressions, clicks, conversions from variant_daily"
                + " where template_id = $1 and day >= $2 order by day, variant_id")
        .execute(Tuple.of(templateId, since))
        .map(
            rows -> {
              List<VariantDay> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new VariantDay(
                        templateId,
                        r.getLocalDate("day"),
                        r.getString("variant_id"),
                        r.getLong("impressions"),
                        r.getLong("clicks"),
                        r.getLong("conversions")));
              }
              return out;
            });
  }

  /** Adds each delta to its variant's day, in the caller's transaction. */
  public Uni<Void> add(SqlConnection c, List<VariantDay> deltas) {
    int n = deltas.size();
    Long[] templates = new Long[n];
    LocalDate[] days = new LocalDate[n];
    String[] variants = new String[n];
    Long[] impressions = new Long[n];
    Long[] clicks = new Long[n];
    Long[] conversions = new Long[n];
    for (int i = 0; i < n; i++) {
      VariantDay d = deltas.get(i);
      templates[i] = d.templateId();
      days[i] = d.day();
      variants[i] = d.variantId();
      impressions[i] = d.impressions();
      clicks[i] = d.clicks();
      conversions[i] = d.conversions();
    }
    return c.preparedQuery(
            "insert into variant_daily (template_id, day, variant_id, impressions, clicks,"
                + " conversions) select * from unnest($1::bigint[], $2::date[], $3::text[],"
                + " $4::int8[], $5::int8[], $6::int8[]) on conflict (template_id, day, variant_id)"
                + " do update set impressions = variant_daily.impressions + excluded.impressions,"
                + " clicks = variant_daily.clicks + excluded.clicks, conversions ="
                + " variant_daily.conversions + excluded.conversions")
        .execute(Tuple.of(templates, days, variants, impressions, clicks, conversions))
        .replaceWithVoid();
  }
}
