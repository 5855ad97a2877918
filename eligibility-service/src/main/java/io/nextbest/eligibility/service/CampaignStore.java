package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilitySettings;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.eligibility.domain.Campaign;
import io.nextbest.eligibility.domain.CampaignVersion;
import io.nextbest.eligibility.repository.CampaignRepository;
import io.nextbest.eligibility.repository.CampaignVersionRepository;
import io.nextbest.eligibility.repository.SettingsRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.List;

/**
 * Campaigns and settings in PostgreSQL. Every write is validated and compiled first, bumps the
 * version and appends the audit row in the same transaction.
 */
@ApplicationScoped
public class CampaignStore {
  private final JsonCodec json;
  private final CampaignRepository campaigns;
  private final CampaignVersionRepository versions;
  private final SettingsRepository settingsRows;

  public CampaignStore(
      JsonCodec json,
      CampaignRepository campaigns,
      CampaignVersionRepository versions,
      SettingsRepository settingsRows) {
    this.json = json;
    this.campaigns = campaigns;
    this.versions = versions;
    this.settingsRows = settingsRows;
  }

  /** A stored campaign with its version. */
  public record Stored(CampaignSpec spec, int version, Instant createdAt, Instant updatedAt) {}

  /**
   * One audit entry.
   *
   * @param version version the change produced
   * @param action created, updated or deleted
   * @param changedBy who changed it
   * @param changedAt when
   * @param campaign the definition after the change (before it, for a deletion)
   */
  public record Change(
      int version, String action, String changedBy, Instant changedAt, CampaignSpec campaign) {}

  @WithSession
  public Uni<List<Stored>> all() {
    return campaigns.listAll(Sort.by("id")).map(l -> l.stream().map(this::stored).toList());
  }

  @WithSession
  public Uni<Stored> byId(String id) {
    return campaigns.findById(id).map(c -> c == null ? null : stored(c));
  }

  @WithTransaction
  public Uni<Stored> create(CampaignSpec spec, String by) {
    CompiledCampaign.compile(spec, 1);
    return campaigns
        .findById(spec.id())
        .chain(
            existing -> {
              if (existing != null) {
                throw new ClientErrorException(
                    "Campaign '" + spec.id() + "' exists; PUT changes it.", 409);
              }
              Campaign c = new Campaign();
              c.id = spec.id();
              c.version = 1;
              c.definition = json.write(spec);
              c.createdAt = Instant.now();
              c.updatedAt = c.createdAt;
              return campaigns.persist(c).call(() -> audit(c, "created", by));
            })
        .map(this::stored);
  }

  @WithTransaction
  public Uni<Stored> update(CampaignSpec spec, String by) {
    CompiledCampaign.compile(spec, 1);
    return campaigns
        .findById(spec.id(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
        .onItem()
        .ifNull()
        .failWith(() -> notFound(spec.id()))
        .chain(
            c -> {
              c.version++;
              c.definition = json.write(spec);
              c.updatedAt = Instant.now();
              return audit(c, "updated", by).replaceWith(c);
            })
        .map(this::stored);
  }

  @WithTransaction
  public Uni<Void> delete(String id, String by) {
    return campaigns
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> notFound(id))
        .chain(
            c -> {
              c.version++;
              return audit(c, "deleted", by).chain(() -> campaigns.delete(c));
            });
  }

  @WithSession
  public Uni<List<Change>> history(String id) {
    return versions
        .history(id)
        .map(
            l ->
                l.stream()
                    .map(
                        v ->
                            new Change(
                                v.key.version,
                                v.action,
                                v.changedBy,
                                v.changedAt,
                                json.read(v.definition, CampaignSpec.class)))
                    .toList());
  }

  @WithSession
  public Uni<EligibilitySettings> settings() {
    return settingsRows.current().map(r -> json.read(r.settings, EligibilitySettings.class));
  }

  @WithTransaction
  public Uni<EligibilitySettings> saveSettings(EligibilitySettings settings) {
    return settingsRows
        .current()
        .chain(
            r -> {
              r.version++;
              r.settings = json.write(settings);
              r.updatedAt = Instant.now();
              return settingsRows.persist(r);
            })
        .replaceWith(settings);
  }

  private Uni<CampaignVersion> audit(Campaign c, String action, String by) {
    CampaignVersion v = new CampaignVersion();
    v.key = new CampaignVersion.Key(c.id, c.version);
    v.action = action;
    v.definition = c.definition;
    v.changedBy = by == null || by.isBlank() ? "api" : by;
    v.changedAt = Instant.now();
    return versions.persist(v);
  }

  private Stored stored(Campaign c) {
    return new Stored(
        json.read(c.definition, CampaignSpec.class), c.version, c.createdAt, c.updatedAt);
  }

  static NotFoundException notFound(String id) {
    return new NotFoundException("No campaign '" + id + "'.");
  }
}
