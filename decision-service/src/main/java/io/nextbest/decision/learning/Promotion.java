package io.nextbest.decision.learning;

import io.nextbest.common.sql.ClusterLock;
import io.nextbest.common.sql.ClusterLocks;
import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.domain.ValueSums;
import io.nextbest.decision.repository.ArmModelRepository;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.DecisionPolicy.Mode;
import io.nextbest.models.policy.PolicyModel;
import io.nextbest.models.policy.Stats;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Apprentice mode's hand-over and the live model's guard, from running sums (never a scan of the
 * log). The model goes live when enough apprentice decisions have closed — judged on the fewest
 * latest stream days within the last {@code window-days} that hold the decisions needed, so the
 * model of today is judged, or else on the whole window, whose larger sample clears a smaller
 * difference — and the lower one-sided 95% bound of its value minus manual priority's — doubly
 * robust, paired on the same decisions — reaches {@code (min-value-ratio − 1) × manual's value} (0
 * by default: the model is at least as good). A live model is demoted when, over enough of its own
 * closed decisions, the same paired difference is below 0 with an always-valid p-value (mixture
 * sequential probability ratio test) under {@code guard-alpha}: manual priority would have done
 * better, beyond the noise of both estimates (manual priority's value is estimated off-policy from
 * the live policy's few exploratory choices, so its own estimate is far noisier than the model's)
 * and beyond the chance that one of the guard's many looks — one every {@code interval} for as long
 * as the model is live — crosses a fixed bound on noise alone. The scheduled check runs on one
 * replica at a time (lock {@link ClusterLock.Key#PROMOTION}); the others skip that tick.
 */
@ApplicationScoped
public class Promotion {
  private static final Logger LOG = Logger.getLogger(Promotion.class);
  static final double Z_ONE_SIDED_95 = 1.6448536269514722;

  /**
   * The evidence of one bucket.
   *
   * @param decisions closed decisions counted
   * @param matchRate share where the model's top action was the action taken (in apprentice mode
   *     manual priority's; defined as the evaluations' {@code matchRate} for the model)
   * @param model the model's value per decision (doubly robust)
   * @param manual manual priority's value per decision (doubly robust)
   * @param difference model minus manual, paired
   * @param online the value of what actually ran (on-policy mean)
   * @param modelSnips the model's self-normalized IPS value
   * @param effectiveSampleSize of the model's IPS estimate
   */
  public record Scorecard(
      long decisions,
      double matchRate,
      Stats.Interval model,
      Stats.Interval manual,
      Stats.Interval difference,
      Stats.Interval online,
      Stats.Interval modelSnips,
      double effectiveSampleSize) {
    static Scorecard of(Map<String, ValueSums> sums) {
      ValueSums model = sums.getOrDefault(PromotionSums.MODEL, ValueSums.ZERO);
      ValueSums manual = sums.getOrDefault(PromotionSums.MANUAL, ValueSums.ZERO);
      ValueSums diff = sums.getOrDefault(PromotionSums.DIFF, ValueSums.ZERO);
      ValueSums logged = sums.getOrDefault(PromotionSums.LOGGED, ValueSums.ZERO);
      return new Scorecard(
          logged.n(),
          model.matchRate(),
          model.doublyRobust(),
          manual.doublyRobust(),
          diff.doublyRobust(),
          logged.doublyRobust(),
          model.value(),
          model.effectiveSampleSize());
    }
  }

  /**
   * The verdict.
   *
   * @param scorecard the evidence (apprentice decisions in apprentice mode, live ones when live)
   * @param ready apprentice: the model may go live; live: the model must be demoted
   * @param reason why (or why not)
   * @param modelShare in apprentice mode, once {@code min-decisions} have closed and until the
   *     model is promoted, the canary share this evidence earns when {@code
   *     apprentice-model-share-max} lets it grow; null otherwise
   */
  public record Verdict(Scorecard scorecard, boolean ready, String reason, Double modelShare) {
    Verdict(Scorecard scorecard, boolean ready, String reason) {
      this(scorecard, ready, reason, null);
    }
  }

  /** The canary share moves in steps of this size, so that noise does not rewrite it every tick. */
  static final double SHARE_STEP = 0.05;

  /** The probability of "model beats manual" at which the share reaches its maximum. */
  static final double FULL_SHARE_CONFIDENCE = 0.95;

  private final PromotionSums sums;
  private final ModelStore models;
  private final DecisionConfig config;
  private final ClusterLock lock;
  private final ArmModelRepository armModels;

  public Promotion(
      PromotionSums sums,
      ModelStore models,
      DecisionConfig config,
      ClusterLocks locks,
      ArmModelRepository armModels) {
    this.armModels = armModels;
    this.lock = locks.of(ClusterLock.Key.PROMOTION);
    this.sums = sums;
    this.models = models;
    this.config = config;
  }

  /**
   * The verdict for the mode in force: the guard's when live, the promotion's in apprentice mode
   * and in live mode's learning phase (whose decisions count as apprentice ones).
   */
  public Uni<Verdict> verdict() {
    Mode mode = models.state().deciding();
    if (mode == Mode.LIVE) {
      return sums.read(PromotionSums.LIVE).map(s -> guard(Scorecard.of(s)));
    }
    var p = config.promotion();
    int window = p.windowDays();
    return armModels
        .actionsLearnedWithin(
            models.encoder().id(), window > 0 ? window : 36_500, models.encoder().names().size())
        .chain(
            actions ->
                sums.readLatest(
                        PromotionSums.APPRENTICE,
                        window,
                        decisionsNeeded(
                            p.minDecisions(),
                            p.decisionsPerCoefficient(),
                            actions * models.encoder().names().size()))
                    .map(s -> promotion(Scorecard.of(s), actions))
                    .chain(
                        latest ->
                            latest.ready()
                                ? Uni.createFrom().item(latest)
                                : sums.readRecent(PromotionSums.APPRENTICE, window)
                                    .map(s -> promotion(Scorecard.of(s), actions))
                                    .map(whole -> whole.ready() ? whole : latest)));
  }

  /**
   * The promotion verdict, counting every action the model has learned, whether or not it learned
   * within the window and however few decisions it has (the check itself, {@link #verdict()},
   * counts only the actions in use).
   */
  Verdict promotion(Scorecard s) {
    return promotion(s, actions(models.state().model()));
  }

  /**
   * The promotion verdict.
   *
   * @param actions the actions in use ("none" and the campaigns that learned in the window and have
   *     learned at least as many decisions as they have coefficients)
   */
  Verdict promotion(Scorecard s, long actions) {
    var p = config.promotion();
    long coefficients = actions * models.encoder().names().size();
    return promotion(
        s,
        decisionsNeeded(p.minDecisions(), p.decisionsPerCoefficient(), coefficients),
        coefficients);
  }

  /** The promotion verdict when {@code needed} closed decisions are needed for promotion. */
  Verdict promotion(Scorecard s, long needed, long coefficients) {
    var p = config.promotion();
    if (s.decisions() < needed) {
      // too few to promote a model with this many coefficients, enough to let its evidence so far
      // set the canary share
      Double share = s.decisions() >= p.minDecisions() ? earnedShare(s) : null;
      return new Verdict(
          s,
          false,
          (needed > p.minDecisions()
                  ? String.format(
                      Locale.ROOT,
                      "%d of %d closed decisions needed (%.0f per coefficient of %d)",
                      s.decisions(),
                      needed,
                      p.decisionsPerCoefficient(),
                      coefficients)
                  : s.decisions() + " of " + needed + " closed decisions needed")
              + shareNote(share),
          share);
    }
    if (s.matchRate() < p.minMatchRate()) {
      return new Verdict(
          s,
          false,
          String.format(
              Locale.ROOT, "match rate %.3f below %.3f", s.matchRate(), p.minMatchRate()));
    }
    double low = s.difference().value() - Z_ONE_SIDED_95 * s.difference().se();
    double margin = (p.minValueRatio() - 1) * Math.abs(s.manual().value());
    if (low < margin) {
      Double share = earnedShare(s);
      return new Verdict(
          s,
          false,
          String.format(
                  Locale.ROOT,
                  "model − manual %.4f, lower bound %.4f below %.4f (model %.4f, manual %.4f)",
                  s.difference().value(),
                  low,
                  margin,
                  s.model().value(),
                  s.manual().value())
              + shareNote(share),
          share);
    }
    return new Verdict(
        s,
        true,
        String.format(
            Locale.ROOT,
            "promoted: %d closed decisions, model − manual %.4f with lower bound %.4f ≥ %.4f"
                + " (model %.4f, manual %.4f)",
            s.decisions(),
            s.difference().value(),
            low,
            margin,
            s.model().value(),
            s.manual().value()));
  }

  /** The canary share the evidence earns; null when the configuration keeps the share fixed. */
  private Double earnedShare(Scorecard s) {
    double start = config.apprenticeModelShare();
    double max = config.apprenticeModelShareMax();
    return Math.min(1, max) > start ? canaryShare(s.difference(), start, max) : null;
  }

  private static String shareNote(Double share) {
    return share == null ? "" : String.format(Locale.ROOT, "; canary share %.2f", share);
  }

  /**
   * The canary share the evidence earns: {@code start} while the model is no more likely to beat
   * manual priority than not, rising linearly with that probability (the paired difference's normal
   * approximation, as the promotion bound uses) to {@code max} at {@value #FULL_SHARE_CONFIDENCE},
   * in steps of {@value #SHARE_STEP}.
   */
  static double canaryShare(Stats.Interval difference, double start, double max) {
    double top = Math.min(1, Math.max(start, max));
    double diff = difference.value();
    double se = difference.se();
    if (!Double.isFinite(diff) || !Double.isFinite(se) || top <= start) {
      return start;
    }
    double confidence = se > 0 ? Stats.normalCdf(diff / se) : diff > 0 ? 1 : 0;
    double progress = Math.max(0, Math.min(1, (confidence - 0.5) / (FULL_SHARE_CONFIDENCE - 0.5)));
    double share = start + (top - start) * progress;
    return Math.max(start, Math.min(top, Math.round(share / SHARE_STEP) * SHARE_STEP));
  }

  /** Closed decisions needed: the minimum, or so many per coefficient when that is more. */
  static long decisionsNeeded(long minDecisions, double perCoefficient, long coefficients) {
    return Math.max(minDecisions, (long) Math.ceil(perCoefficient * coefficients));
  }

  /**
   * The actions the model has learned: "none" and every campaign (the pools they share, the base
   * and the journey models are not counted).
   */
  static long actions(PolicyModel model) {
    return model.stats().keySet().stream()
        .filter(
            id ->
                !id.startsWith(PolicyModel.POOL)
                    && !id.startsWith(DecisionPolicy.LONG)
                    && !id.equals(PolicyModel.BASE))
        .count();
  }

  Verdict guard(Scorecard s) {
    var p = config.promotion();
    return guard(s, p.minLiveDecisions(), p.guardEffect(), p.guardAlpha());
  }

  /**
   * The live model's guard over the live decisions' evidence.
   *
   * @param effect the mixing spread of the always-valid test as a share of manual's value
   * @param alpha the always-valid p-value below which the model is demoted
   */
  static Verdict guard(Scorecard s, long minLiveDecisions, double effect, double alpha) {
    if (s.decisions() < minLiveDecisions) {
      return new Verdict(
          s,
          false,
          "live: " + s.decisions() + " of " + minLiveDecisions + " closed decisions to judge");
    }
    // paired on the same decisions: both estimates' noise counts, not the model's alone
    double diff = s.difference().value();
    double variance = s.difference().se() * s.difference().se();
    double tau = effect * Math.max(Math.abs(s.manual().value()), Math.abs(s.online().value()));
    double p =
        tau > 0 && Double.isFinite(diff) && Double.isFinite(variance)
            ? Math.min(1, 1 / Stats.msprtLikelihoodRatio(diff, variance, tau * tau))
            : 1;
    if (diff < 0 && p < alpha) {
      return new Verdict(
          s,
          true,
          String.format(
              Locale.ROOT,
              "demoted: model − manual %.4f ± %.4f, always-valid p %.4f below %.2f (online value"
                  + " %.4f, manual priority %.4f) over %d closed decisions",
              diff,
              s.difference().se(),
              p,
              alpha,
              s.online().value(),
              s.manual().value(),
              s.decisions()));
    }
    return new Verdict(
        s,
        false,
        String.format(
            Locale.ROOT,
            "live: online value %.4f, manual priority %.4f, model − manual %.4f (always-valid p"
                + " %.4f) over %d closed decisions",
            s.online().value(),
            s.manual().value(),
            diff,
            p,
            s.decisions()));
  }

  @Scheduled(
      every = "${nextbest.decision.promotion.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> check() {
    if (!config.promotion().automatic()) {
      return Uni.createFrom().voidItem();
    }
    return checkNow();
  }

  /**
   * One promotion check: in apprentice mode or live mode's learning phase the model goes (fully)
   * live when the evidence is there; a live one is demoted when the guard says so.
   */
  Uni<Void> checkNow() {
    // one replica checks at a time, on the mode as stored: another one may have just switched it
    return lock.runOrSkip(
            "promotion check",
            () ->
                models
                    .reload()
                    .chain(this::verdict)
                    .chain(
                        v -> {
                          if (!v.ready()) {
                            return follow(v);
                          }
                          Mode next =
                              models.state().deciding() == Mode.LIVE ? Mode.APPRENTICE : Mode.LIVE;
                          LOG.infof("policy mode %s: %s", next, v.reason());
                          return switchTo(next, v.reason(), next == Mode.LIVE ? PROMOTION : GUARD);
                        }))
        .onFailure()
        .invoke(f -> LOG.warnf("promotion check skipped: %s", f.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /** Moves the canary share in force to the one the apprentice evidence earns, when it differs. */
  private Uni<Void> follow(Verdict v) {
    ModelStore.State state = models.state();
    if (v.modelShare() == null
        || state.deciding() == Mode.LIVE
        || Math.abs(v.modelShare() - state.modelShare()) < SHARE_STEP / 2) {
      return Uni.createFrom().voidItem();
    }
    LOG.infof("canary share %.2f → %.2f: %s", state.modelShare(), v.modelShare(), v.reason());
    return models.setModelShare(v.modelShare());
  }

  /** Who changes the mode, as the mode history records it. */
  public static final String GUARD = "guard";

  public static final String PROMOTION = "promotion";
  public static final String OPERATOR = "operator";

  /**
   * Changes the mode, starting the entered mode's evidence afresh; {@code by} is {@link #GUARD},
   * {@link #PROMOTION} or {@link #OPERATOR}. Live mode's learning phase continues the apprentice
   * evidence when it follows apprentice mode (its decisions are drawn from the same policy).
   */
  public Uni<Void> switchTo(Mode mode, String reason, String by) {
    Mode from = models.state().deciding();
    Uni<Void> reset =
        switch (mode) {
          case LIVE -> sums.reset(PromotionSums.LIVE);
          case APPRENTICE -> sums.reset(PromotionSums.APPRENTICE);
          case LEARNING ->
              from == Mode.APPRENTICE
                  ? Uni.createFrom().voidItem()
                  : sums.reset(PromotionSums.APPRENTICE);
        };
    return reset.chain(() -> models.setMode(mode, reason, by));
  }
}
