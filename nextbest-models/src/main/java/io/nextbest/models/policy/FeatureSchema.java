package io.nextbest.models.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared, versioned feature schema of the decision model: which request-context keys and
 * profile traits are features and how (number, boolean, or one-hot string within a vocabulary),
 * which categories get their own view and purchase shares, and how many hashed buckets take the
 * keys nobody declared. Its {@link #id()} — the declared version plus a fingerprint of the whole
 * declaration — is logged with every decision and stored with every arm, so statistics gathered
 * under one schema never mix with another's.
 *
 * @param version the declared version, e.g. {@code f2}
 * @param contextNumbers context keys read as numbers (signed log scale)
 * @param contextBooleans context keys read as booleans
 * @param contextStrings context keys read as strings, each with its vocabulary (one-hot)
 * @param traitNumbers profile traits read as numbers
 * @param traitBooleans profile traits read as booleans
 * @param traitStrings profile traits read as strings, each with its vocabulary
 * @param categories categories whose view and purchase shares are features of their own
 * @param hashBuckets buckets of the hashing trick for undeclared context keys and traits; 0 ignores
 *     undeclared keys
 */
public record FeatureSchema(
    String version,
    List<String> contextNumbers,
    List<String> contextBooleans,
    Map<String, List<String>> contextStrings,
    List<String> traitNumbers,
    List<String> traitBooleans,
    Map<String, List<String>> traitStrings,
    List<String> categories,
    int hashBuckets) {

  /** Largest vocabulary of one string key, and most declared keys of one kind. */
  public static final int MAX_VOCABULARY = 50;

  public static final int MAX_KEYS = 50;
  public static final int MAX_HASH_BUCKETS = 256;

  public FeatureSchema {
    if (version == null || !version.matches("[a-z0-9][a-z0-9.-]{0,31}")) {
      throw new IllegalArgumentException("feature schema version must match [a-z0-9][a-z0-9.-]*");
    }
    if (hashBuckets < 0 || hashBuckets > MAX_HASH_BUCKETS) {
      throw new IllegalArgumentException("hash buckets must be from 0 to " + MAX_HASH_BUCKETS);
    }
    contextNumbers = List.copyOf(contextNumbers);
    contextBooleans = List.copyOf(contextBooleans);
    contextStrings = copy(contextStrings);
    traitNumbers = List.copyOf(traitNumbers);
    traitBooleans = List.copyOf(traitBooleans);
    traitStrings = copy(traitStrings);
    categories = List.copyOf(categories);
    for (List<String> keys :
        List.of(contextNumbers, contextBooleans, traitNumbers, traitBooleans, categories)) {
      if (keys.size() > MAX_KEYS) {
        throw new IllegalArgumentException("at most " + MAX_KEYS + " keys of one kind");
      }
    }
  }

  /** The schema with nothing declared: profile signals and hashed context. */
  public static FeatureSchema defaults() {
    return new FeatureSchema(
        "f2", List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(), List.of(), 32);
  }

  /**
   * Reads {@code key=value1|value2} declarations of string keys into key → vocabulary.
   *
   * @throws IllegalArgumentException on a declaration without values
   */
  public static Map<String, List<String>> vocabularies(List<String> declarations) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String d : declarations) {
      int eq = d.indexOf('=');
      if (eq <= 0 || eq == d.length() - 1) {
        throw new IllegalArgumentException(
            "string feature '" + d + "' must be declared as key=value1|value2");
      }
      List<String> values = List.of(d.substring(eq + 1).split("\\|"));
      if (values.size() > MAX_VOCABULARY) {
        throw new IllegalArgumentException(
            "string feature '" + d.substring(0, eq) + "' has more than " + MAX_VOCABULARY);
      }
      out.put(d.substring(0, eq).strip(), values.stream().map(String::strip).toList());
    }
    if (out.size() > MAX_KEYS) {
      throw new IllegalArgumentException("at most " + MAX_KEYS + " string keys");
    }
    return out;
  }

  /** Version and a fingerprint of the declaration: the encoder id logged with decisions. */
  public String id() {
    long h = 0xcbf29ce484222325L;
    for (byte b : String.join(",", FeatureEncoder.names(this)).getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    return version + "-" + String.format("%016x", h).substring(0, 8);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> in) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, List.copyOf(v)));
    if (out.size() > MAX_KEYS) {
      throw new IllegalArgumentException("at most " + MAX_KEYS + " string keys");
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Names of the declared (not hashed) context and trait features, in encoding order. */
  List<String> declaredNames() {
    List<String> names = new ArrayList<>();
    contextNumbers.forEach(k -> names.add("context:" + k));
    contextBooleans.forEach(k -> names.add("context:" + k));
    contextStrings.forEach((k, vs) -> vs.forEach(v -> names.add("context:" + k + "=" + v)));
    traitNumbers.forEach(k -> names.add("trait:" + k));
    traitBooleans.forEach(k -> names.add("trait:" + k));
    traitStrings.forEach((k, vs) -> vs.forEach(v -> names.add("trait:" + k + "=" + v)));
    return names;
  }
}
