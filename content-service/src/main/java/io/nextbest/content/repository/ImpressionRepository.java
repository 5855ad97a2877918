package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The content each decision showed and what became of it ({@code impressions}). */
@ApplicationScoped
public class ImpressionRepository {
  /**
   * One impression.
   *
   * @param templateId the template shown
   * @param variantId its variant
   * @param locale in which locale
   * @param clicked whether it was clicked
   * @param converted whether it converted
   * @param shownAt when
   */
  public record Impression(
      long templateId,
      String variantId,
      String locale,
      boolean clicked,
      boolean converted,
      Instant shownAt) {}

  private final Pool pool;

  public ImpressionRepository(Pool pool) {
    this.pool = pool;
  }

  /** The impression of a decision, or null. */
  public Uni<Impression> byDecision(String decisionId) {
    return pool.preparedQuery(
            "select template_id, variant_id, locale, clicked, converted, shown_at from impressions"
                + " where decision_id = $1")
        .execute(Tuple.of(decisionId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new Impression(
                  r.getLong("template_id"),
                  r.getString("variant_id"),
                  r.getString("locale"),
                  r.getBoolean("clicked"),
                  r.getBoolean("converted"),
                  r.getOffsetDateTime("shown_at").toInstant());
            });
  }

  /** The customer a decision's content was shown to, or null when not shown (yet). */
  public Uni<String> customerOf(String decisionId) {
    return pool.preparedQuery("select customer_id from impressions where decision_id = $1")
        .execute(Tuple.of(decisionId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }
}
