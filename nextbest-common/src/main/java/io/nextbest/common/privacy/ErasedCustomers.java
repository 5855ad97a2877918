package io.nextbest.common.privacy;

/**
 * SQL for a service's {@code erased_customers} table: customers erased recently, kept as the
 * SHA-256 of their id. Records of an erased customer that were still in flight when the erase
 * arrived (a decision made from an older moment, a send consumed late) carry a time at most {@link
 * #HOLD} after the erase and are not stored again; anything later is a new relationship.
 */
public final class ErasedCustomers {
  /** How long after an erase the customer's in-flight records are still refused. */
  public static final String HOLD = "1 day";

  /** Remembers an erase: {@code $1} is the customer id. */
  public static final String REMEMBER =
      "insert into erased_customers (id_hash, erased_at) values ("
          + hash("$1")
          + ", now()) on conflict (id_hash) do update set erased_at = excluded.erased_at";

  private ErasedCustomers() {}

  /**
   * A condition, true unless the customer (SQL expression {@code customerId}) was erased and the
   * record's time {@code at} is earlier than {@link #HOLD} after that erase.
   */
  public static String notErasedAt(String customerId, String at) {
    return "not exists (select 1 from erased_customers e where e.id_hash = "
        + hash(customerId)
        + " and "
        + at
        + " < e.erased_at + interval '"
        + HOLD
        + "')";
  }

  private static String hash(String expression) {
    return "encode(sha256(convert_to(" + expression + ", 'UTF8')), 'hex')";
  }
}
