package io.nextbest.content.template;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem.FieldError;
import io.nextbest.content.ContentConfig;
import io.nextbest.content.repository.TemplateRepository;
import io.nextbest.content.repository.VariantDailyRepository;
import io.nextbest.content.repository.VariantStatsRepository;
import io.nextbest.models.variant.VariantPosterior;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Templates in PostgreSQL; every write is checked first and versioned. */
@ApplicationScoped
public class TemplateStore {
  private static final com.fasterxml.jackson.core.type.TypeReference<List<TemplateDocument.Variant>>
      VARIANTS = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private final TemplateRepository templates;
  private final VariantStatsRepository variantStats;
  private final VariantDailyRepository variantDaily;
  private final ContentCatalog catalogue;
  private final JsonCodec json;
  private final ContentConfig config;

  public TemplateStore(
      TemplateRepository templates,
      VariantStatsRepository variantStats,
      VariantDailyRepository variantDaily,
      ContentCatalog catalogue,
      JsonCodec json,
      ContentConfig config) {
    this.templates = templates;
    this.variantStats = variantStats;
    this.variantDaily = variantDaily;
    this.catalogue = catalogue;
    this.json = json;
    this.config = config;
  }

  public Uni<List<TemplateDocument>> list(String campaignId, String placement) {
    return templates
        .find(campaignId, placement)
        .map(rows -> rows.stream().map(r -> document(r, json)).toList());
  }

  public Uni<TemplateDocument> get(long id) {
    return templates
        .byId(id)
        .map(
            row -> {
              if (row == null) {
                throw new NotFoundException("No template " + id + ".");
              }
              return document(row, json);
            });
  }

  /** Checks a template without storing it. */
  public void check(TemplateDocument doc) {
    List<FieldError> errors = new ArrayList<>();
    catalogue.compile(doc, catalogue.snapshot().placements().get(doc.placement()), true, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException("The template does not compile.", errors);
    }
  }

  public Uni<TemplateDocument> create(TemplateDocument doc) {
    check(doc);
    return templates
        .insert(row(doc))
        .onFailure(TemplateRepository.DuplicateTemplateException.class)
        .transform(f -> conflict(doc))
        .map(row -> document(row, json))
        .call(catalogue::refresh);
  }

  public Uni<TemplateDocument> update(long id, TemplateDocument doc) {
    check(doc);
    return templates
        .update(id, row(doc), doc.version())
        .onFailure(TemplateRepository.DuplicateTemplateException.class)
        .transform(f -> conflict(doc))
        .chain(
            row ->
                row != null
                    ? Uni.createFrom().item(document(row, json))
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
    return templates
        .delete(id)
        .invoke(
            existed -> {
              if (!existed) {
                throw new NotFoundException("No template " + id + ".");
              }
            })
        .call(catalogue::refresh)
        .replaceWithVoid();
  }

  /**
   * A template's impressions per variant and UTC day over the last {@code days} days (today
   * included), with their clicks and conversions; 404 for a template that does not exist.
   */
  public Uni<AllocationHistory> daily(long templateId, int days) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate since = today.minusDays(days - 1L);
    return templates
        .byId(templateId)
        .chain(
            row -> {
              if (row == null) {
                throw new NotFoundException("No template " + templateId + ".");
              }
              return variantDaily.forTemplate(templateId, since);
            })
        .map(
            rows ->
                new AllocationHistory(
                    templateId,
                    since,
                    today,
                    rows.stream()
                        .map(
                            r ->
                                new AllocationHistory.Day(
                                    r.day(),
                                    r.variantId(),
                                    r.impressions(),
                                    r.clicks(),
                                    r.conversions()))
                        .toList()));
  }

  /**
   * Impressions, clicks and conversions per variant (from the outcomes topic), with the Beta
   * posterior of each rate.
   */
  public Uni<List<Map<String, Object>>> stats(long templateId) {
    return variantStats
        .forTemplate(templateId)
        .map(
            rows -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (VariantStatsRepository.VariantStats r : rows) {
                long shown = r.impressions();
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("variantId", r.variantId());
                v.put("impressions", shown);
                v.put("clicks", r.clicks());
                v.put("conversions", r.conversions());
                v.put("clickRate", shown == 0 ? 0.0 : r.clicks() / (double) shown);
                v.put("conversionRate", shown == 0 ? 0.0 : r.conversions() / (double) shown);
                v.put("clickPosterior", VariantPosterior.of(shown, r.clicks()));
                v.put("conversionPosterior", VariantPosterior.of(shown, r.conversions()));
                out.add(v);
              }
              return out;
            });
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

  /** A template as it is stored. */
  private TemplateRepository.NewTemplate row(TemplateDocument doc) {
    return new TemplateRepository.NewTemplate(
        doc.campaignId(),
        doc.placement(),
        optimizeFor(doc),
        defaultLocale(doc),
        json.write(doc.variants()));
  }

  /** A stored template as the API shows it. */
  static TemplateDocument document(TemplateRepository.TemplateRow r, JsonCodec json) {
    return new TemplateDocument(
        r.id(),
        r.campaignId(),
        r.placement(),
        r.optimizeFor(),
        r.defaultLocale(),
        json.read(r.variants(), VARIANTS),
        r.version(),
        r.updatedAt());
  }
}
