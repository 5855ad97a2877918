package io.nextbest.eligibility.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One change of a campaign, kept for audit: who, when, what it became. */
@Entity
@Table(name = "campaign_versions")
public class CampaignVersion extends PanacheEntityBase {
  @EmbeddedId public Key key;

  @Column(nullable = false)
  public String action;

  @Column(nullable = false)
  public String definition;

  @Column(name = "changed_by", nullable = false)
  public String changedBy;

  @Column(name = "changed_at", nullable = false)
  public Instant changedAt;

  /** Campaign id and version. */
  @Embeddable
  public static class Key implements Serializable {
    @Column(name = "campaign_id")
    public String campaignId;

    public int version;

    public Key() {}

    public Key(String campaignId, int version) {
      this.campaignId = campaignId;
      this.version = version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.version == version && Objects.equals(k.campaignId, campaignId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(campaignId, version);
    }
  }
}
