package io.nextbest.tools.decision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.Posterior;
import io.nextbest.models.policy.ThompsonPolicy;
import io.nextbest.models.policy.ThompsonPolicy.ArmValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Checks the decision policy on the Hillstrom randomized e-mail test: per-arm Bayesian linear
 * models trained on half the customers, scored on the other half by inverse propensity (each arm
 * was assigned with probability 1/3), and run as a bandit over the training half by the replay
 * method (Li et al. 2011).
 *
 * <pre>
 * bin/nextbest hillstrom-eval --data ../shared/data/hillstrom/hillstrom.csv.gz --reward visit --seed 42
 * </pre>
 */
public final class HillstromEvalCommand {
  static final String[] ARMS = {"No E-Mail", "Mens E-Mail", "Womens E-Mail"};
  static final String[] ARM_NAMES = {ThompsonPolicy.NONE, "mens-email", "womens-email"};
  static final double LAMBDA = 1.0;

  /** One customer of the test: features, the arm assigned, the outcomes. */
  record Row(double[] x, int arm, double visit, double conversion, double spend) {
    double reward(String kind) {
      return switch (kind) {
        case "visit" -> visit;
        case "conversion" -> conversion;
        case "spend" -> spend;
        default -> throw new IllegalArgumentException("unknown reward " + kind);
      };
    }
  }

  /** Estimated value of a policy with its standard error. */
  record Estimate(double value, double se) {}

  private HillstromEvalCommand() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = options(args);
    Path data = Path.of(opts.getOrDefault("data", "../shared/data/hillstrom/hillstrom.csv.gz"));
    String reward = opts.getOrDefault("reward", "visit");
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    Map<String, Object> result = evaluate(read(data), reward, seed);
    System.out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
  }

  static Map<String, Object> evaluate(List<Row> rows, String reward, long seed) {
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(seed));
    int half = shuffled.size() / 2;
    List<Row> train = shuffled.subList(0, half);
    List<Row> test = shuffled.subList(half, shuffled.size());
    progress("training on " + train.size() + " customers, testing on " + test.size());

    LinearArm[] arms = new LinearArm[ARMS.length];
    for (int a = 0; a < arms.length; a++) {
      arms[a] = new LinearArm(HillstromFeatures.DIMENSION);
    }
    for (Row r : train) {
      arms[r.arm()].update(r.x(), r.reward(reward));
    }
    Posterior[] models = posteriors(arms);

    int[] learnedChoices = new int[ARMS.length];
    Map<String, Estimate> policies = new LinkedHashMap<>();
    policies.put(
        "learned",
        ips(
            test,
            reward,
            r -> {
              int a = greedy(models, r.x());
              return a;
            }));
    for (Row r : test) {
      learnedChoices[greedy(models, r.x())]++;
    }
    policies.put("all-mens", ips(test, reward, r -> 1));
    policies.put("all-womens", ips(test, reward, r -> 2));
    policies.put("none", ips(test, reward, r -> 0));
    policies.put("random", randomPolicy(test, reward));

    Map<String, Object> replay = replay(train, reward, seed);

    Estimate learned = policies.get("learned");
    double bestArm =
        Math.max(
            policies.get("all-mens").value(),
            Math.max(policies.get("all-womens").value(), policies.get("none").value()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", "hillstrom");
    out.put("reward", reward);
    out.put("seed", seed);
    out.put("train", train.size());
    out.put("test", test.size());
    out.put("estimator", "inverse propensity, p = 1/3 per arm");
    out.put("policies", policies);
    Map<String, Object> shares = new LinkedHashMap<>();
    for (int a = 0; a < ARMS.length; a++) {
      shares.put(ARM_NAMES[a], (double) learnedChoices[a] / test.size());
    }
    out.put("learnedPolicyChoices", shares);
    out.put("replay", replay);
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("bestSingleArmValue", bestArm);
    checks.put("learnedAtLeastBestArmMinusOneSe", learned.value() >= bestArm - learned.se());
    double ratio = learned.value() / policies.get("random").value();
    checks.put("learnedOverRandom", ratio);
    checks.put("learnedAtLeast1.25xRandom", ratio >= 1.25);
    out.put("checks", checks);
    return out;
  }

  static Posterior[] posteriors(LinearArm[] arms) {
    Posterior[] models = new Posterior[arms.length];
    models[0] = arms[0].posterior(LAMBDA);
    double[] prior = models[0].mean();
    for (int a = 1; a < arms.length; a++) {
      models[a] = arms[a].posterior(LAMBDA, prior);
    }
    return models;
  }

  static int greedy(Posterior[] models, double[] x) {
    List<ArmValue> values = values(models, x);
    ThompsonPolicy.Choice c =
        ThompsonPolicy.greedy(values.get(0), values.subList(1, values.size()));
    return indexOf(c.armId());
  }

  private static List<ArmValue> values(Posterior[] models, double[] x) {
    List<ArmValue> values = new ArrayList<>(models.length);
    for (int a = 0; a < models.length; a++) {
      values.add(new ArmValue(ARM_NAMES[a], models[a].predictMean(x), models[a].predictSd(x)));
    }
    return values;
  }

  private static int indexOf(String armName) {
    for (int a = 0; a < ARM_NAMES.length; a++) {
      if (ARM_NAMES[a].equals(armName)) {
        return a;
      }
    }
    throw new IllegalStateException("unknown arm " + armName);
  }

  /** IPS value of a deterministic policy: mean of 3·r·1[policy(x) = logged arm]. */
  static Estimate ips(List<Row> test, String reward, java.util.function.ToIntFunction<Row> policy) {
    double[] terms = new double[test.size()];
    for (int i = 0; i < terms.length; i++) {
      Row r = test.get(i);
      terms[i] = policy.applyAsInt(r) == r.arm() ? r.reward(reward) * ARMS.length : 0;
    }
    return meanAndSe(terms);
  }

  /** The uniformly random policy's IPS value is the mean observed reward. */
  static Estimate randomPolicy(List<Row> test, String reward) {
    double[] terms = new double[test.size()];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = test.get(i).reward(reward);
    }
    return meanAndSe(terms);
  }

  static Estimate meanAndSe(double[] terms) {
    double mean = 0;
    for (double t : terms) {
      mean += t;
    }
    mean /= terms.length;
    double ss = 0;
    for (double t : terms) {
      ss += (t - mean) * (t - mean);
    }
    return new Estimate(mean, Math.sqrt(ss / (terms.length - 1) / terms.length));
  }

  /**
   * Replay (Li et al. 2011): stream the logged customers in random order; the bandit picks an arm
   * for each; only events where it agrees with the logged arm count and update its models.
   */
  static Map<String, Object> replay(List<Row> train, String reward, long seed) {
    List<Row> order = new ArrayList<>(train);
    Collections.shuffle(order, new Random(seed + 1));
    ThompsonPolicy policy = new ThompsonPolicy(0.0, 1);
    SplittableRandom random = new SplittableRandom(seed);
    LinearArm[] arms = new LinearArm[ARMS.length];
    for (int a = 0; a < arms.length; a++) {
      arms[a] = new LinearArm(HillstromFeatures.DIMENSION);
    }
    Posterior[] models = posteriors(arms);
    double banditReward = 0;
    int banditMatched = 0;
    double randomReward = 0;
    int randomMatched = 0;
    int step = 0;
    for (Row r : order) {
      List<ArmValue> values = values(models, r.x());
      int a =
          indexOf(policy.choose(values.get(0), values.subList(1, values.size()), random).armId());
      if (a == r.arm()) {
        double y = r.reward(reward);
        banditReward += y;
        banditMatched++;
        arms[a].update(r.x(), y);
        if (banditMatched % 50 == 0 || banditMatched < 500) {
          models = posteriors(arms);
        }
      }
      if (random.nextInt(ARMS.length) == r.arm()) {
        randomReward += r.reward(reward);
        randomMatched++;
      }
      if (++step % 8000 == 0) {
        progress("replay " + step + "/" + order.size());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", order.size());
    out.put("bandit", replayResult(banditReward, banditMatched));
    out.put("random", replayResult(randomReward, randomMatched));
    out.put(
        "banditOverRandom",
        (banditReward / Math.max(1, banditMatched)) / (randomReward / Math.max(1, randomMatched)));
    return out;
  }

  private static Map<String, Object> replayResult(double reward, int matched) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("matchedEvents", matched);
    m.put("cumulativeReward", reward);
    m.put("rewardPerEvent", reward / Math.max(1, matched));
    return m;
  }

  static List<Row> read(Path data) throws IOException {
    List<Row> rows = new ArrayList<>(64_000);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data)), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null || !header.startsWith("recency,history_segment,history")) {
        throw new IOException(data + " is not the Hillstrom data set (header " + header + ")");
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = fields(line);
        int arm = List.of(ARMS).indexOf(f[8]);
        if (arm < 0) {
          throw new IOException("unknown segment '" + f[8] + "' on line " + (rows.size() + 2));
        }
        double[] x =
            HillstromFeatures.encode(
                Integer.parseInt(f[0]),
                Double.parseDouble(f[2]),
                "1".equals(f[3]),
                "1".equals(f[4]),
                f[5],
                "1".equals(f[6]),
                f[7]);
        rows.add(
            new Row(
                x,
                arm,
                Double.parseDouble(f[9]),
                Double.parseDouble(f[10]),
                Double.parseDouble(f[11])));
      }
    }
    progress("read " + rows.size() + " customers from " + data);
    return rows;
  }

  /** Splits a CSV line; quoted fields may hold commas ("6) $750 - $1,000"). */
  static String[] fields(String line) {
    List<String> out = new ArrayList<>(12);
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out.toArray(String[]::new);
  }

  private static void progress(String line) {
    System.err.println("hillstrom-eval: " + line);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: hillstrom-eval --data FILE --reward visit|conversion|spend --seed N");
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }
}
