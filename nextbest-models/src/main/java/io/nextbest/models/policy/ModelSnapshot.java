package io.nextbest.models.policy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Everything an edge needs to decide as decision-service does: the arm statistics of one model
 * version, the feature schema they were learned under, who decides (apprentice, live or live mode's
 * learning phase) with its canary share, the policy's tuning and the reward horizon logged with
 * decisions. decision-service publishes it on the compacted models topic; {@link #publishedAt()} is
 * renewed by every publication, so an edge can tell an owner that stopped publishing from a model
 * that did not change.
 *
 * @param version the arm models' version (bumped by every learning step)
 * @param changedAt when the mode last changed
 * @param publishedAt when the owner published this snapshot
 * @param deciding who decides
 * @param modelShare the canary share of apprentice decisions drawn from the live policy
 * @param settings the policy's tuning
 * @param ridge the base's prior precision
 * @param armPrior the prior strength of a deviation (see {@link FeatureEncoder#armPrior(double)})
 * @param horizonDays the reward horizon logged with every decision
 * @param schema the feature schema the arms were learned under
 * @param arms the arm statistics by arm id
 */
public record ModelSnapshot(
    long version,
    Instant changedAt,
    Instant publishedAt,
    DecisionPolicy.Mode deciding,
    double modelShare,
    DecisionPolicy.Settings settings,
    double ridge,
    double armPrior,
    int horizonDays,
    FeatureSchema schema,
    Map<String, LinearArm> arms) {

  /** Leading bytes of the binary form, with its format version. */
  private static final int MAGIC = 0x4e424d31; // "NBM1"

  /** Arms of one snapshot at most, so a corrupt count cannot allocate without bound. */
  static final int MAX_ARMS = 10_000;

  public ModelSnapshot {
    arms = java.util.Collections.unmodifiableMap(new TreeMap<>(arms));
  }

  /** The model the policy decides with. */
  public PolicyModel model(FeatureEncoder encoder) {
    return new PolicyModel(version, arms, ridge, encoder.armPrior(armPrior));
  }

  /** What decides, as the decider takes it. */
  public Decider.InForce inForce(PolicyModel model) {
    return new Decider.InForce(
        model, deciding, modelShare, Decider.InForce.policyVersion(deciding, version));
  }

  /** The binary form: deflated, arms in id order. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
      out.writeInt(MAGIC);
      out.writeLong(version);
      out.writeLong(changedAt.toEpochMilli());
      out.writeLong(publishedAt.toEpochMilli());
      out.writeUTF(deciding.name());
      out.writeDouble(modelShare);
      out.writeDouble(settings.epsilon());
      out.writeDouble(settings.apprenticeEpsilon());
      out.writeInt(settings.nodes());
      out.writeDouble(settings.temperature());
      out.writeDouble(settings.apprenticeModelShare());
      out.writeDouble(ridge);
      out.writeDouble(armPrior);
      out.writeInt(horizonDays);
      writeSchema(out, schema);
      out.writeInt(arms.size());
      for (Map.Entry<String, LinearArm> e : arms.entrySet()) {
        out.writeUTF(e.getKey());
        byte[] arm = e.getValue().toBytes();
        out.writeInt(arm.length);
        out.write(arm);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the binary form.
   *
   * @throws IllegalArgumentException when the bytes are not a snapshot of this format
   */
  public static ModelSnapshot fromBytes(byte[] bytes) {
    try (DataInputStream in =
        new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(bytes)))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a model snapshot of format 1");
      }
      long version = in.readLong();
      Instant changedAt = Instant.ofEpochMilli(in.readLong());
      Instant publishedAt = Instant.ofEpochMilli(in.readLong());
      DecisionPolicy.Mode deciding = DecisionPolicy.Mode.valueOf(in.readUTF());
      double modelShare = in.readDouble();
      DecisionPolicy.Settings settings =
          new DecisionPolicy.Settings(
              in.readDouble(), in.readDouble(), in.readInt(), in.readDouble(), in.readDouble());
      double ridge = in.readDouble();
      double armPrior = in.readDouble();
      int horizonDays = in.readInt();
      FeatureSchema schema = readSchema(in);
      int count = bounded(in.readInt(), MAX_ARMS);
      Map<String, LinearArm> arms = new LinkedHashMap<>();
      int dimension = FeatureEncoder.names(schema).size();
      int armBytes = 20 + 8 * (dimension * dimension + dimension);
      for (int i = 0; i < count; i++) {
        String id = in.readUTF();
        int length = in.readInt();
        if (length != armBytes) {
          throw new IllegalArgumentException("arm " + id + " does not have the schema's dimension");
        }
        byte[] arm = new byte[length];
        in.readFully(arm);
        arms.put(id, LinearArm.fromBytes(arm));
      }
      return new ModelSnapshot(
          version,
          changedAt,
          publishedAt,
          deciding,
          modelShare,
          settings,
          ridge,
          armPrior,
          horizonDays,
          schema,
          arms);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("model snapshot unreadable: " + e.getMessage(), e);
    }
  }

  private static void writeSchema(DataOutputStream out, FeatureSchema s) throws IOException {
    out.writeUTF(s.version());
    writeList(out, s.contextNumbers());
    writeList(out, s.contextBooleans());
    writeVocabularies(out, s.contextStrings());
    writeList(out, s.traitNumbers());
    writeList(out, s.traitBooleans());
    writeVocabularies(out, s.traitStrings());
    writeList(out, s.categories());
    out.writeInt(s.hashBuckets());
  }

  private static FeatureSchema readSchema(DataInputStream in) throws IOException {
    return new FeatureSchema(
        in.readUTF(),
        readList(in),
        readList(in),
        readVocabularies(in),
        readList(in),
        readList(in),
        readVocabularies(in),
        readList(in),
        in.readInt());
  }

  private static void writeList(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      out.writeUTF(s);
    }
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = bounded(in.readInt(), FeatureSchema.MAX_VOCABULARY * FeatureSchema.MAX_KEYS);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static void writeVocabularies(DataOutputStream out, Map<String, List<String>> v)
      throws IOException {
    out.writeInt(v.size());
    for (Map.Entry<String, List<String>> e : v.entrySet()) {
      out.writeUTF(e.getKey());
      writeList(out, e.getValue());
    }
  }

  private static Map<String, List<String>> readVocabularies(DataInputStream in) throws IOException {
    int n = bounded(in.readInt(), FeatureSchema.MAX_KEYS);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(in.readUTF(), readList(in));
    }
    return out;
  }

  private static int bounded(int n, int max) {
    if (n < 0 || n > max) {
      throw new IllegalArgumentException("a count of " + n + " is out of range");
    }
    return n;
  }
}
