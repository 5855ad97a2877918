package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Templates ({@code templates}): at most one per campaign (or the default content) and placement,
 * versioned on every update.
 */
@ApplicationScoped
public class TemplateRepository {
  private static final String COLUMNS =
      "id, campaign_id, placement, optimize_for, default_locale, variants, version, updated_at";

  /**
   * A stored template.
   *
   * @param id its id
   * @param campaignId its campaign, or null for the default content
   * @param placement where it renders
   * @param optimizeFor what its variants compete on
   * @param defaultLocale the locale used when the customer's has no content
   * @param variants its variants as JSON
   * @param version bumped by each update
   * @param updatedAt when last changed
   */
  public record TemplateRow(
      long id,
      String campaignId,
      String placement,
      String optimizeFor,
      String defaultLocale,
      String variants,
      int version,
      Instant updatedAt) {}

  /**
   * A template to write.
   *
   * @param campaignId its campaign, or null for the default content
   * @param placement where it renders
   * @param optimizeFor what its variants compete on
   * @param defaultLocale the locale used when the customer's has no content
   * @param variants its variants as JSON
   */
  public record NewTemplate(
      String campaignId,
      String placement,
      String optimizeFor,
      String defaultLocale,
      String variants) {}

  /** Another template has this campaign and placement already. */
  public static class DuplicateTemplateException extends RuntimeException {
    DuplicateTemplateException(Throwable cause) {
      super(cause);
    }
  }

  private final Pool pool;

  public TemplateRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every template. */
  public Uni<List<TemplateRow>> all() {
    return pool.query("select " + COLUMNS + " from templates")
        .execute()
        .map(TemplateRepository::rows);
  }

  /** The templates of a campaign and placement, either or both absent meaning any, by id. */
  public Uni<List<TemplateRow>> find(String campaignId, String placement) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from templates where ($1::text is null or campaign_id = $1)"
                + " and ($2::text is null or placement = $2) order by id")
        .execute(Tuple.of(campaignId, placement))
        .map(TemplateRepository::rows);
  }

  /** One template, or null. */
  public Uni<TemplateRow> byId(long id) {
    return pool.preparedQuery("select " + COLUMNS + " from templates where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  /**
   * Stores a new template at version 1; fails with {@link DuplicateTemplateException} when its
   * campaign and placement have one.
   */
  public Uni<TemplateRow> insert(NewTemplate t) {
    return pool.preparedQuery(
            "insert into templates (campaign_id, placement, optimize_for, default_locale, variants)"
                + " values ($1, $2, $3, $4, $5) returning "
                + COLUMNS)
        .execute(
            Tuple.of(
                t.campaignId(), t.placement(), t.optimizeFor(), t.defaultLocale(), t.variants()))
        .onFailure(TemplateRepository::duplicate)
        .transform(DuplicateTemplateException::new)
        .map(rows -> row(rows.iterator().next()));
  }

  /**
   * Replaces a template and bumps its version, if it is at {@code expectedVersion} (any when null);
   * answers the stored template, or null when it is missing or at another version. Fails with
   * {@link DuplicateTemplateException} when the new campaign and placement have one.
   */
  public Uni<TemplateRow> update(long id, NewTemplate t, Integer expectedVersion) {
    return pool.preparedQuery(
            "update templates set campaign_id = $2, placement = $3, optimize_for = $4,"
                + " default_locale = $5, variants = $6, version = version + 1, updated_at = now()"
                + " where id = $1 and ($7::int is null or version = $7) returning "
                + COLUMNS)
        .execute(
            Tuple.from(
                Arrays.asList(
                    id,
                    t.campaignId(),
                    t.placement(),
                    t.optimizeFor(),
                    t.defaultLocale(),
                    t.variants(),
                    expectedVersion)))
        .onFailure(TemplateRepository::duplicate)
        .transform(DuplicateTemplateException::new)
        .map(rows -> rows.size() > 0 ? row(rows.iterator().next()) : null);
  }

  /** Deletes a template; answers whether it existed. */
  public Uni<Boolean> delete(long id) {
    return pool.preparedQuery("delete from templates where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  private static boolean duplicate(Throwable f) {
    return f instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  private static List<TemplateRow> rows(RowSet<Row> rows) {
    List<TemplateRow> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(row(r)));
    return out;
  }

  private static TemplateRow row(Row r) {
    return new TemplateRow(
        r.getLong("id"),
        r.getString("campaign_id"),
        r.getString("placement"),
        r.getString("optimize_for"),
        r.getString("default_locale"),
        r.getString("variants"),
        r.getInteger("version"),
        r.getOffsetDateTime("updated_at").toInstant());
  }
}
