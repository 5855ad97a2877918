package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.repository.CustomerRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Reads profiles through the Redis cache and changes their attributes. */
@ApplicationScoped
public class ProfileService {
  private static final Logger LOG = Logger.getLogger(ProfileService.class);

  private final CustomerRepository customers;
  private final ProfileCache cache;
  private final JsonCodec json;

  public ProfileService(CustomerRepository customers, ProfileCache cache, JsonCodec json) {
    this.customers = customers;
    this.cache = cache;
    this.json = json;
  }

  /** The profile snapshot, from Redis when cached, else from PostgreSQL; null when unknown. */
  public Uni<ProfileSnapshot> find(String customerId) {
    return cache
        .get(customerId)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.debugf("profile cache unavailable, reading PostgreSQL: %s", e.toString());
              return null;
            })
        .chain(hit -> hit != null ? Uni.createFrom().item(hit) : load(customerId));
  }

  @WithSession
  Uni<ProfileSnapshot> load(String customerId) {
    return customers
        .findById(customerId)
        .map(c -> c == null ? null : Snapshots.of(c))
        .call(
            s ->
                s == null
                    ? Uni.createFrom().voidItem()
                    : cache.put(s).onFailure().recoverWithNull());
  }

  /** Replaces a profile's attributes (creating the profile if needed) and queues its snapshot. */
  @WithTransaction
  public Uni<ProfileSnapshot> replaceAttributes(String customerId, Map<String, Object> attributes) {
    return customers
        .findById(customerId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            found -> {
              Customer c = found != null ? found : newCustomer(customerId);
              c.attributes = new HashMap<>(attributes);
              c.version++;
              c.updatedAt = Instant.now();
              ProfileSnapshot snapshot = Snapshots.of(c);
              return c.<Customer>persist()
                  .chain(
                      () ->
                          OutboxMessage.of(Topics.PROFILES, customerId, json.write(snapshot))
                              .persist())
                  .replaceWith(snapshot);
            });
  }

  private static Customer newCustomer(String customerId) {
    Customer c = new Customer();
    c.customerId = customerId;
    return c;
  }
}
