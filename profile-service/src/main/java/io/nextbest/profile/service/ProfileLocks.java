package io.nextbest.profile.service;

import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.ErasedCustomerRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;

/**
 * How a profile write starts, in the caller's transaction: the id checked against recent erases,
 * resolved to its merged customer, and that customer's row locked (created when missing).
 */
@ApplicationScoped
public class ProfileLocks {
  private final CustomerRepository customers;
  private final IdentityRepository identities;
  private final ErasedCustomerRepository erased;

  public ProfileLocks(
      CustomerRepository customers,
      IdentityRepository identities,
      ErasedCustomerRepository erased) {
    this.customers = customers;
    this.identities = identities;
    this.erased = erased;
  }

  /** The customer the id resolves to, locked for update and created when missing. */
  public Uni<Customer> lockOrCreate(String customerId) {
    return notErased(customerId)
        .chain(() -> identities.canonical(customerId))
        .chain(customers::lockOrCreate);
  }

  /**
   * Fails with 409 while the id is held after its erase: a write then is a stale client's, not a
   * new relationship, and must not start the person's profile again.
   */
  public Uni<Void> notErased(String customerId) {
    return erased
        .heldUntil(customerId)
        .invoke(
            until -> {
              if (until != null) {
                throw new ClientErrorException(
                    "Customer '"
                        + customerId
                        + "' was erased; writes for this id are refused until "
                        + until
                        + ".",
                    Response.Status.CONFLICT);
              }
            })
        .replaceWithVoid();
  }
}
