package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
}
