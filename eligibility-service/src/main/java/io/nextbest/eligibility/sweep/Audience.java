package io.nextbest.eligibility.sweep;

import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.eligibility.client.ProfileDirectoryClient;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Walks a segment (or every customer) a page at a time: ids from profile-service, profiles from
 * Redis (profile-service on a miss). Only one page is held at once and no transaction is open, so a
 * sweep of millions of customers runs in constant memory.
 */
@ApplicationScoped
public class Audience {
  static final int PAGE = 500;
  private static final int CONCURRENCY = 32;

  private final ProfileDirectoryClient directory;
  private final ProfileLookup profiles;

  public Audience(@RestClient ProfileDirectoryClient directory, ProfileLookup profiles) {
    this.directory = directory;
    this.profiles = profiles;
  }

  /** A customer with the latest known profile (null when profile-service knows none). */
  public record Customer(String id, ProfileSnapshot profile) {}

  /**
   * Calls {@code onPage} with each page in id order until the audience ends, {@code onPage} answers
   * false, or {@code max} customers were visited; answers how many were visited.
   */
  public Uni<Long> walk(String segment, long max, Function<List<Customer>, Uni<Boolean>> onPage) {
    return walk(segment, null, 0, max, onPage);
  }

  private Uni<Long> walk(
      String segment,
      String after,
      long seen,
      long max,
      Function<List<Customer>, Uni<Boolean>> onPage) {
    int limit = (int) Math.min(PAGE, max - seen);
    if (limit <= 0) {
      return Uni.createFrom().item(seen);
    }
    Uni<ProfileDirectoryClient.IdPage> page =
        segment == null
            ? directory.customers(after, limit)
            : directory.members(segment, after, limit);
    return page.chain(
        p -> {
          List<String> ids = p.ids();
          if (ids.isEmpty()) {
            return Uni.createFrom().item(seen);
          }
          return Multi.createFrom()
              .iterable(ids)
              .onItem()
              .transformToUni(this::customer)
              .merge(CONCURRENCY)
              .collect()
              .asList()
              .chain(list -> onPage.apply(list))
              .chain(
                  more ->
                      more && p.next() != null
                          ? walk(segment, p.next(), seen + ids.size(), max, onPage)
                          : Uni.createFrom().item(seen + ids.size()));
        });
  }

  private Uni<Customer> customer(String id) {
    return profiles
        .find(id)
        .onFailure()
        .recoverWithNull()
        .chain(
            p ->
                p != null
                    ? Uni.createFrom().item(p)
                    : directory.profile(id).onFailure().recoverWithNull())
        .map(p -> new Customer(id, p));
  }
}
