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
  public static final String REMEMBER = remember("$1");

  /**
   * Each erased id of the text array {@code $1}, with the end of its hold ({@code id, held_until}).
   */
  public static final String HELD =
      "select u.id, e.erased_at + interval '"
          + HOLD
          + "' as held_until from unnest($1::text[]) as u(id) join erased_customers e on e.id_hash = "
          + hash("u.id");

  private ErasedCustomers() {}

  /** Remembers an erase; {@code parameter} is the placeholder of the customer id. */
  public static String remember(String parameter) {
    return "insert into erased_customers (id_hash, erased_at) values ("
        + hash(parameter)
        + ", now()) on conflict (id_hash) do update set erased_at = excluded.erased_at";
  }

  /**
   * The end of the hold on the customer id ({@code parameter}) as text, one row while it holds now,
   * none otherwise.
   */
  public static String heldNow(String parameter) {
    return "select (erased_at + interval '"
        + HOLD
        + "')::text from erased_customers where id_hash = "
        + hash(parameter)
        + " and now() < erased_at + interval '"
        + HOLD
        + "'";
  }

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
