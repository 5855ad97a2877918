package io.nextbest.content.template;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.Problem.FieldError;
import io.nextbest.content.ContentConfig;
import io.nextbest.content.repository.LocaleRepository;
import io.nextbest.content.repository.PlacementRepository;
import io.nextbest.content.repository.TemplateRepository;
import io.nextbest.content.repository.VariantStatsRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Placements, locales, templates and variant statistics held in memory for the frontend call; every
 * replica reloads them from PostgreSQL every few seconds (and at once after its own changes).
 * Templates are compiled once per version.
 */
@ApplicationScoped
public class ContentCatalog {
  private static final Logger LOG = Logger.getLogger(ContentCatalog.class);

  private final PlacementRepository placementRows;
  private final LocaleRepository localeRows;
  private final TemplateRepository templateRows;
  private final VariantStatsRepository variantStats;
  private final TemplateChecker checker;
  private final JsonCodec json;
  private final ContentConfig config;
  private final Map<String, CompiledTemplate> compiled = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private volatile Snapshot snapshot;
  private long installed;

  /** Everything the frontend call reads. */
  public record Snapshot(
      Map<String, Placement> placements,
      Locales locales,
      Map<String, CompiledTemplate> templates,
      Map<String, long[]> stats) {

    public CompiledTemplate template(String campaignId, String placement) {
      return templates.get(key(campaignId, placement));
    }

    /** impressions, clicks, conversions of a variant. */
    public long[] stats(long templateId, String variantId) {
      long[] s = stats.get(templateId + "/" + variantId);
      return s == null ? new long[3] : s;
    }
  }

  public ContentCatalog(
      PlacementRepository placementRows,
      LocaleRepository localeRows,
      TemplateRepository templateRows,
      VariantStatsRepository variantStats,
      TemplateChecker checker,
      JsonCodec json,
      ContentConfig config) {
    this.placementRows = placementRows;
    this.localeRows = localeRows;
    this.templateRows = templateRows;
    this.variantStats = variantStats;
    this.checker = checker;
    this.json = json;
    this.config = config;
    this.snapshot =
        new Snapshot(Map.of(), new Locales(Map.of(), config.defaultLocale()), Map.of(), Map.of());
  }

  void onStart(@Observes StartupEvent e) {
    refresh().await().indefinitely();
  }

  @Scheduled(
      every = "${nextbest.content.refresh-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledRefresh() {
    return refresh()
        .onFailure()
        .invoke(f -> LOG.warnf("content catalogue not refreshed: %s", f.getMessage()))
        .onFailure()
        .recoverWithNull();
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Reloads everything from PostgreSQL. Refreshes may overlap (the schedule and a change made
   * here); a snapshot is installed only if no refresh started later has installed its own already,
   * so a slow old read never hides a template stored since.
   */
  public Uni<Void> refresh() {
    long generation = started.incrementAndGet();
    Uni<Map<String, Placement>> placements =
        placementRows
            .all()
            .map(
                rows -> {
                  Map<String, Placement> out = new HashMap<>();
                  for (PlacementRepository.PlacementRow r : rows) {
                    out.put(
                        r.name(), new Placement(r.name(), r.channel(), r.fields(), r.budgetMs()));
                  }
                  return out;
                });
    Uni<Locales> locales =
        localeRows.fallbacks().map(fallbacks -> new Locales(fallbacks, config.defaultLocale()));
    Uni<List<TemplateRepository.TemplateRow>> templates = templateRows.all();
    Uni<Map<String, long[]>> stats =
        // only live templates': the statistics of a deleted template stay in the table
        variantStats
            .ofLiveTemplates()
            .map(
                rows -> {
                  Map<String, long[]> out = new HashMap<>();
                  for (VariantStatsRepository.VariantStats r : rows) {
                    out.put(
                        r.templateId() + "/" + r.variantId(),
                        new long[] {r.impressions(), r.clicks(), r.conversions()});
                  }
                  return out;
                });
    return Uni.combine()
        .all()
        .unis(placements, locales, templates, stats)
        .with(
            (p, l, t, s) -> {
              install(generation, new Snapshot(p, l, compileAll(t, p), s));
              return null;
            });
  }

  private synchronized void install(long generation, Snapshot next) {
    if (generation > installed) {
      installed = generation;
      snapshot = next;
    }
  }

  private Map<String, CompiledTemplate> compileAll(
      List<TemplateRepository.TemplateRow> rows, Map<String, Placement> placements) {
    Map<String, CompiledTemplate> out = new HashMap<>();
    java.util.Set<String> live = new java.util.HashSet<>();
    for (TemplateRepository.TemplateRow r : rows) {
      String version = r.id() + "@" + r.version();
      live.add(version);
      CompiledTemplate c = compiled.get(version);
      if (c == null) {
        TemplateDocument doc = TemplateStore.document(r, json);
        c = compile(doc, placements.get(doc.placement()), false, new ArrayList<>());
        if (c == null) {
          continue;
        }
        compiled.put(version, c);
      }
      out.put(key(c.campaignId(), c.placement()), c);
    }
    compiled.keySet().retainAll(live);
    return out;
  }

  /**
   * Compiles a template document; problems go to {@code errors} and the answer is null. With {@code
   * renderTrials} (a template being saved) every field must also render for each of the checker's
   * trial visitors; a stored template is served without them.
   */
  public CompiledTemplate compile(
      TemplateDocument doc, Placement placement, boolean renderTrials, List<FieldError> errors) {
    String defaultLocale =
        Locales.normalize(
            doc.defaultLocale() == null ? config.defaultLocale() : doc.defaultLocale());
    if (placement == null) {
      errors.add(
          new FieldError(
              "placement",
              "unknown placement '"
                  + doc.placement()
                  + "'; use one of "
                  + snapshot.placements().keySet()));
      return null;
    }
    var variants = checker.compileAll(doc, placement.fields(), defaultLocale, renderTrials, errors);
    if (!errors.isEmpty()) {
      if (doc.id() != null) {
        LOG.warnf("template %d does not compile and is not served: %s", doc.id(), errors);
      }
      return null;
    }
    List<CompiledTemplate.Variant> list = new ArrayList<>();
    boolean usesRecs = false;
    for (var v : variants.entrySet()) {
      list.add(new CompiledTemplate.Variant(v.getKey(), v.getValue()));
      usesRecs |=
          v.getValue().values().stream()
              .flatMap(m -> m.values().stream())
              .anyMatch(TemplateChecker.Compiled::usesRecs);
    }
    return new CompiledTemplate(
        doc.id() == null ? 0 : doc.id(),
        doc.campaignId(),
        doc.placement(),
        doc.optimizeFor() == null ? "click" : doc.optimizeFor(),
        defaultLocale,
        doc.version() == null ? 1 : doc.version(),
        List.copyOf(list),
        usesRecs);
  }

  static String key(String campaignId, String placement) {
    return (campaignId == null ? "" : campaignId) + "\u0000" + placement;
  }
}
