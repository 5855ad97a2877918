package io.nextbest.content.template;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem.FieldError;
import io.nextbest.content.ContentConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Templates in PostgreSQL; every write is checked first and versioned. */
@ApplicationScoped
public class TemplateStore {
  static final String COLUMNS =
      "id, campaign_id, placement, optimize_for, default_locale, variants, version, updated_at";
  private static final com.fasterxml.jackson.core.type.TypeReference<List<TemplateDocument.Variant>>
      VARIANTS = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private final Pool pool;
  private final ContentCatalog catalogue;
  private final JsonCodec json;
  private final ContentConfig config;

  public TemplateStore(Pool pool, ContentCatalog catalogue, JsonCodec json, ContentConfig config) {
    this.pool = pool;
    this.catalogue = catalogue;
    this.json = json;
    this.config = config;
  }

  public Uni<List<TemplateDocument>> list(String campaignId, String placement) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from templates where ($1::text is null or campaign_id = $1)"
                + " and ($2::text is null or placement = $2) order by id")
        .execute(Tuple.of(campaignId, placement))
        .map(
            rows -> {
              List<TemplateDocument> out = new ArrayList<>();
              rows.forEach(r -> out.add(document(r, json)));
              return out;
            });
  }

  public Uni<TemplateDocument> get(long id) {
    return pool.preparedQuery("select " + COLUMNS + " from templates where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new NotFoundException("No template " + id + ".");
              }
              return document(rows.iterator().next(), json);
            });
  }

  /** Checks a template without storing it. */
  public void check(TemplateDocument doc) {
    List<FieldError> errors = new ArrayList<>();
    catalogue.compile(doc, catalogue.snapshot().placements().get(doc.placement()), errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException("The template does not compile.", errors);
    }
  }

  public Uni<TemplateDocument> create(TemplateDocument doc) {
    check(doc);
    return pool.preparedQuery(
            "insert into templates (campaign_id, placement, optimize_for, default_locale, variants)"
                + " values ($1, $2, $3, $4, $5) returning "
                + COLUMNS)
        .execute(
            Tuple.of(
                doc.campaignId(),
                doc.placement(),
                optimizeFor(doc),
                defaultLocale(doc),
                json.write(doc.variants())))
        .onFailure(TemplateStore::duplicate)
        .transform(f -> conflict(doc))
        .map(rows -> document(rows.iterator().next(), json))
        .call(catalogue::refresh);
  }

  public Uni<TemplateDocument> update(long id, TemplateDocument doc) {
    check(doc);
    return pool.preparedQuery(
            "update templates set campaign_id = $2, placement = $3, optimize_for = $4,"
                + " default_locale = $5, variants = $6, version = version + 1, updated_at = now()"
                + " where id = $1 and ($7::int is null or version = $7) returning "
                + COLUMNS)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    id,
                    doc.campaignId(),
                    doc.placement(),
                    optimizeFor(doc),
                    defaultLocale(doc),
                    json.write(doc.variants()),
                    doc.version())))
        .onFailure(TemplateStore::duplicate)
        .transform(f -> conflict(doc))
        .chain(
            rows ->
                rows.size() > 0
                    ? Uni.createFrom().item(document(rows.iterator().next(), json))
                    : get(id) // 404 when missing, else the version did not match
                        .map(
                            current -> {
                              throw new WebApplicationException(
                                  "Template "
                                      + id
                                      + " is at version "
                                      + current.version()
                                      + ", not "
                                      + doc.version()
                                      + "; reload it and apply the change again.",
                                  Response.Status.CONFLICT);
                            }))
        .call(catalogue::refresh);
  }

  public Uni<Void> delete(long id) {
    return pool.preparedQuery("delete from templates where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw new NotFoundException("No template " + id + ".");
              }
              return rows;
            })
        .call(catalogue::refresh)
        .replaceWithVoid();
  }

  /** Impressions, clicks and conversions per variant (from the outcomes topic). */
  public Uni<List<Map<String, Object>>> stats(long templateId) {
    return pool.preparedQuery(
            "select variant_id, impressions, clicks, conversions from variant_stats"
                + " where template_id = $1 order by variant_id")
        .execute(Tuple.of(templateId))
        .map(
            rows -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (Row r : rows) {
                long shown = r.getLong("impressions");
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("variantId", r.getString("variant_id"));
                v.put("impressions", shown);
                v.put("clicks", r.getLong("clicks"));
                v.put("conversions", r.getLong("conversions"));
                v.put("clickRate", shown == 0 ? 0.0 : r.getLong("clicks") / (double) shown);
                v.put(
                    "conversionRate", shown == 0 ? 0.0 : r.getLong("conversions") / (double) shown);
                out.add(v);
              }
              return out;
            });
  }

  private static boolean duplicate(Throwable f) {
    return f instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  private static WebApplicationException conflict(TemplateDocument doc) {
    return new WebApplicationException(
        "A template for "
            + (doc.campaignId() == null
                ? "the default content"
                : "campaign '" + doc.campaignId() + "'")
            + " at placement '"
            + doc.placement()
            + "' exists already; update it instead.",
        Response.Status.CONFLICT);
  }

  private static String optimizeFor(TemplateDocument doc) {
    return doc.optimizeFor() == null ? "click" : doc.optimizeFor();
  }

  private String defaultLocale(TemplateDocument doc) {
    return Locales.normalize(
        doc.defaultLocale() == null ? config.defaultLocale() : doc.defaultLocale());
  }

  /** A stored template row as the API shows it. */
  static TemplateDocument document(Row r, JsonCodec json) {
    return new TemplateDocument(
        r.getLong("id"),
        r.getString("campaign_id"),
        r.getString("placement"),
        r.getString("optimize_for"),
        r.getString("default_locale"),
        json.read(r.getString("variants"), VARIANTS),
        r.getInteger("version"),
        r.getOffsetDateTime("updated_at").toInstant());
  }
}
