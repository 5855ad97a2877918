package io.nextbest.tools.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.content.RecsConfig;
import io.nextbest.models.recs.CoPurchaseCounts;
import io.nextbest.models.recs.ItemGraph;
import io.nextbest.models.recs.RankingMetrics;
import io.nextbest.tools.common.CountingInputStream;
import io.nextbest.tools.common.OnlineRetailLine;
import io.nextbest.tools.common.ProgressLine;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Offline check of the recommender on the UCI Online Retail invoices: the item graph is trained on
 * the orders up to the cut-off, under the service's bounds (items per order, pairs kept per item,
 * items and neighbours held), then every customer who bought before and buys something new after it
 * gets a top-k list (items they have not bought yet), scored by hit rate and NDCG against what they
 * went on to buy; the popularity ranking is the baseline.
 *
 * <pre>
 * bin/nextbest recs-eval --data ../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz
 * </pre>
 */
public final class RecsEvalCommand {
  /** One invoice line that counts: a product bought by a known customer. */
  record Line(String invoice, String item, String customer, LocalDateTime at) {}

  /** Orders counted together, as the service counts one polled batch of purchases. */
  private static final int POLL = 2000;

  private RecsEvalCommand() {}

  /**
   * The service's bounds for the command: the defaults of {@link RecsConfig}, overridden by system
   * properties ({@code -Dnextbest.recs.max-items=…}) or environment variables.
   */
  static RecsConfig bounds() {
    return new SmallRyeConfigBuilder()
        .addDefaultSources()
        .withMapping(RecsConfig.class)
        .build()
        .getConfigMapping(RecsConfig.class);
  }

  /** The defaults of {@link RecsConfig}, what a service runs with unless configured otherwise. */
  static RecsConfig defaults() {
    return new SmallRyeConfigBuilder()
        .withMapping(RecsConfig.class)
        .build()
        .getConfigMapping(RecsConfig.class);
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    Path data =
        Path.of(
            opts.getOrDefault(
                "data", "../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz"));
    LocalDate cutoff = LocalDate.parse(opts.getOrDefault("train-end", "2011-10-31"));
    int k = Integer.parseInt(opts.getOrDefault("k", "10"));
    Map<String, Object> result = evaluate(read(data), cutoff, k, bounds());
    System.out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
  }

  /**
   * Trains on the orders up to {@code trainEnd} (inclusive) under {@code bounds} and scores both
   * rankings after it.
   */
  static Map<String, Object> evaluate(
      List<Line> lines, LocalDate trainEnd, int k, RecsConfig bounds) {
    LocalDateTime split = trainEnd.plusDays(1).atStartOfDay();
    Map<String, Set<String>> orders = new LinkedHashMap<>();
    Map<String, Set<String>> bought = new HashMap<>();
    Map<String, Set<String>> later = new HashMap<>();
    for (Line l : lines) {
      if (l.at().isBefore(split)) {
        orders.computeIfAbsent(l.invoice(), i -> new LinkedHashSet<>()).add(l.item());
        bought.computeIfAbsent(l.customer(), c -> new LinkedHashSet<>()).add(l.item());
      } else {
        later.computeIfAbsent(l.customer(), c -> new HashSet<>()).add(l.item());
      }
    }
    CoPurchaseCounts counts =
        new CoPurchaseCounts(
            bounds.maxItemsPerOrder(), bounds.pairsPerWrite(), bounds.pairsKeptPerItem());
    ProgressLine progress = new ProgressLine("train");
    List<Set<String>> all = new ArrayList<>(orders.values());
    for (int from = 0; from < all.size(); from += POLL) {
      counts.add(all.subList(from, Math.min(all.size(), from + POLL)));
      int done = Math.min(all.size(), from + POLL);
      progress.update(done / (double) all.size(), done, "orders");
    }
    progress.finish(all.size(), "orders");
    ItemGraph graph = counts.graph(bounds.maxItems(), bounds.neighbours());
    RankingMetrics model = new RankingMetrics();
    RankingMetrics popularity = new RankingMetrics();
    ProgressLine scoring = new ProgressLine("score");
    int scored = 0;
    for (Map.Entry<String, Set<String>> e : later.entrySet()) {
      Set<String> history = bought.get(e.getKey());
      if (history == null) {
        continue;
      }
      Set<String> relevant = new HashSet<>(e.getValue());
      relevant.removeAll(history);
      if (relevant.isEmpty()) {
        continue;
      }
      List<String> ranked =
          graph.recommend(history, k).stream().map(ItemGraph.Scored::item).toList();
      model.add(ranked, relevant, k);
      popularity.add(graph.popular(k, history), relevant, k);
      scoring.update(++scored / (double) later.size(), scored, "customers");
    }
    scoring.finish(scored, "customers");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trainEnd", trainEnd.toString());
    out.put("k", k);
    out.put("trainOrders", orders.size());
    out.put("items", counts.items());
    out.put("itemsInGraph", graph.items());
    out.put("testCustomers", model.users());
    out.put("model", metrics(model, k));
    out.put("popularity", metrics(popularity, k));
    out.put("hitRateLift", round(model.hitRate() / popularity.hitRate()));
    out.put("ndcgLift", round(model.ndcg() / popularity.ndcg()));
    out.put("modelBeatsPopularity", model.ndcg() > popularity.ndcg());
    return out;
  }

  private static Map<String, Object> metrics(RankingMetrics m, int k) {
    Map<String, Object> out = new TreeMap<>();
    out.put("hitRate@" + k, round(m.hitRate()));
    out.put("ndcg@" + k, round(m.ndcg()));
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /**
   * Reads the invoice lines that are purchases of products: known customer, not a cancellation,
   * positive quantity and price, a product stock code (not postage, fees or manual lines).
   */
  static List<Line> read(Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    long size = Files.size(file);
    ProgressLine progress = new ProgressLine("read " + file.getFileName());
    try (var counting = new CountingInputStream(Files.newInputStream(file));
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(
                    file.toString().endsWith(".gz") ? new GZIPInputStream(counting) : counting,
                    StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null || !header.startsWith("InvoiceNo,StockCode")) {
        throw new IOException(file + " is not the Online Retail CSV (header " + header + ")");
      }
      String row;
      long rows = 0;
      while ((row = in.readLine()) != null) {
        rows++;
        progress.update(counting.count() / (double) size, rows, "lines");
        OnlineRetailLine l = OnlineRetailLine.parse(row);
        if (l == null || !l.isPurchase() || !isProduct(l.stockCode())) {
          continue;
        }
        lines.add(new Line(l.invoice(), l.stockCode(), l.customerId(), l.at()));
      }
      progress.finish(rows, "lines");
    }
    return lines;
  }

  /** Product stock codes start with a digit; POST, M, DOT, BANK CHARGES are not products. */
  static boolean isProduct(String stockCode) {
    return !stockCode.isEmpty() && Character.isDigit(stockCode.charAt(0));
  }
}
