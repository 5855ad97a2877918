package io.nextbest.content.repository;

import static io.nextbest.common.sql.Columns.longs;
import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * The variant an impression showed, and on which day.
   *
   * @param templateId its template
   * @param variantId the variant
   * @param day the UTC day it was shown
   */
  public record ShownVariant(long templateId, String variantId, LocalDate day) {}

  /** The day of an impression as the daily rollup keys it. */
  private static final String DAY = "(shown_at at time zone 'UTC')::date as day";

  private static final String INSERT_SHOWN =
      "insert into impressions (decision_id, customer_id, template_id, variant_id, locale,"
          + " shown_at) select u.decision, u.customer, u.template, u.variant, u.locale, u.at"
          + " from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],"
          + " $6::timestamptz[]) as u(decision, customer, template, variant, locale, at) where "
          + ErasedCustomers.notErasedAt("u.customer", "u.at")
          + " on conflict (decision_id) do nothing returning template_id, variant_id, "
          + DAY;

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

  /**
   * Stores the impression outcomes, the batch in one statement, in the caller's transaction: a
   * decision already stored, or a customer erased before the impression, is skipped. Answers the
   * variant of each impression stored.
   */
  public Uni<List<ShownVariant>> recordShown(SqlConnection c, List<Outcome> shown) {
    return variants(
        c.preparedQuery(INSERT_SHOWN)
            .execute(
                Tuple.tuple(
                    List.of(
                        texts(shown, Outcome::decisionId),
                        texts(shown, Outcome::customerId),
                        longs(shown, o -> o.content().templateId()),
                        texts(shown, o -> o.content().variantId()),
                        texts(shown, o -> o.content().locale() == null ? "" : o.content().locale()),
                        times(shown, Outcome::occurredAt)))));
  }

  /**
   * Marks the decisions' impressions clicked, in the caller's transaction. Answers the variant of
   * each impression clicked for the first time.
   */
  public Uni<List<ShownVariant>> markClicked(SqlConnection c, String[] decisionIds) {
    return mark(c, "clicked", decisionIds);
  }

  /**
   * Marks the decisions' impressions converted, in the caller's transaction. Answers the variant of
   * each impression converted for the first time.
   */
  public Uni<List<ShownVariant>> markConverted(SqlConnection c, String[] decisionIds) {
    return mark(c, "converted", decisionIds);
  }

  /** Deletes the customer's impressions, in the caller's transaction. */
  public Uni<Void> deleteForCustomer(SqlConnection c, String customerId) {
    return c.preparedQuery("delete from impressions where customer_id = $1")
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }

  private static Uni<List<ShownVariant>> mark(
      SqlConnection c, String column, String[] decisionIds) {
    return variants(
        c.preparedQuery(
                "update impressions i set "
                    + column
                    + " = true from unnest($1::text[]) as u(id) where i.decision_id = u.id and not i."
                    + column
                    + " returning i.template_id, i.variant_id, (i.shown_at at time zone 'UTC')::date"
                    + " as day")
            .execute(Tuple.of((Object) decisionIds)));
  }

  private static Uni<List<ShownVariant>> variants(Uni<RowSet<Row>> result) {
    return result.map(
        rows -> {
          List<ShownVariant> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(
                new ShownVariant(
                    r.getLong("template_id"), r.getString("variant_id"), r.getLocalDate("day")));
          }
          return out;
        });
  }
}
