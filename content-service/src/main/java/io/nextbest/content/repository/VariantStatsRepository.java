package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** What each template variant earned ({@code variant_stats}), counted from the outcomes topic. */
@ApplicationScoped
public class VariantStatsRepository {
  /**
   * One variant's counts.
   *
   * @param templateId its template
   * @param variantId the variant
   * @param impressions times shown
   * @param clicks clicks
   * @param conversions conversions
   */
  public record VariantStats(
      long templateId, String variantId, long impressions, long clicks, long conversions) {}

  private final Pool pool;

  public VariantStatsRepository(Pool pool) {
    this.pool = pool;
  }

  /** The counts of a template's variants, by variant id. */
  public Uni<List<VariantStats>> forTemplate(long templateId) {
    return pool.preparedQuery(
            "select variant_id, impressions, clicks, conversions from variant_stats"
                + " where template_id = $1 order by variant_id")
        .execute(Tuple.of(templateId))
        .map(
            rows -> {
              List<VariantStats> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new VariantStats(
                        templateId,
                        r.getString("variant_id"),
                        r.getLong("impressions"),
                        r.getLong("clicks"),
                        r.getLong("conversions")));
              }
              return out;
            });
  }

  /**
   * The counts of the variants of templates that exist: those of a deleted template stay in the
   * table.
   */
  public Uni<List<VariantStats>> ofLiveTemplates() {
    return pool.query(
            "select v.template_id, v.variant_id, v.impressions, v.clicks, v.conversions"
                + " from variant_stats v join templates t on t.id = v.template_id")
        .execute()
        .map(
            rows -> {
              List<VariantStats> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new VariantStats(
                        r.getLong("template_id"),
                        r.getString("variant_id"),
                        r.getLong("impressions"),
                        r.getLong("clicks"),
                        r.getLong("conversions")));
              }
              return out;
            });
  }

  /**
   * Adds each delta's impressions, clicks and conversions to its variant's totals, in the caller's
   * transaction.
   */
  public Uni<Void> add(SqlConnection c, List<VariantStats> deltas) {
    int n = deltas.size();
    Long[] templates = new Long[n];
    String[] variants = new String[n];
    Long[] impressions = new Long[n];
    Long[] clicks = new Long[n];
    Long[] conversions = new Long[n];
    for (int i = 0; i < n; i++) {
      VariantStats d = deltas.get(i);
      templates[i] = d.templateId();
      variants[i] = d.variantId();
      impressions[i] = d.impressions();
      clicks[i] = d.clicks();
      conversions[i] = d.conversions();
    }
    return c.preparedQuery(
            "insert into variant_stats (template_id, variant_id, impressions, clicks, conversions)"
                + " select * from unnest($1::bigint[], $2::text[], $3::int8[], $4::int8[],"
                + " $5::int8[]) on conflict (template_id, variant_id) do update set impressions ="
                + " variant_stats.impressions + excluded.impressions, clicks = variant_stats.clicks"
                + " + excluded.clicks, conversions = variant_stats.conversions +"
                + " excluded.conversions")
        .execute(Tuple.of(templates, variants, impressions, clicks, conversions))
        .replaceWithVoid();
  }
}
