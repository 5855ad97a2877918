package io.nextbest.eligibility.repository;

import io.nextbest.eligibility.domain.Campaign;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Campaign definitions ({@code campaigns}), one row per campaign with its current version. */
@ApplicationScoped
public class CampaignRepository implements PanacheRepositoryBase<Campaign, String> {}
