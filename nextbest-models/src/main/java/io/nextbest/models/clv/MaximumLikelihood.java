package io.nextbest.models.clv;

import java.util.function.ToDoubleFunction;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over strictly positive parameters with Nelder-Mead on their logarithms
 * (so no bound is ever crossed), restarting from the optimum until the value settles — a single
 * simplex run can stall on the flat ridges these likelihoods have.
 */
final class MaximumLikelihood {
  private MaximumLikelihood() {}

  /** The result: parameters, the log-likelihood there, and how many evaluations it took. */
  record Optimum(double[] params, double logLikelihood, int evaluations) {}

  static Optimum maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
    double[] point = new double[start.length];
    for (int i = 0; i < start.length; i++) {
      point[i] = Math.log(start[i]);
    }
    ObjectiveFunction negative =
        new ObjectiveFunction(
            logParams -> {
              double[] params = new double[logParams.length];
              for (int i = 0; i < params.length; i++) {
                params[i] = Math.exp(logParams[i]);
              }
              double ll = logLikelihood.applyAsDouble(params);
              return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
            });
    double best = Double.MAX_VALUE;
    int evaluations = 0;
    for (int round = 0; round < 8; round++) {
      SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-10);
      PointValuePair found =
          optimizer.optimize(
              new MaxEval(20_000),
              new MaxIter(20_000),
              negative,
              GoalType.MINIMIZE,
              new InitialGuess(point),
              new NelderMeadSimplex(start.length, round == 0 ? 0.5 : 0.05));
      evaluations += optimizer.getEvaluations();
      point = found.getPoint();
      double value = found.getValue();
      boolean settled = best - value < 1e-9;
      best = Math.min(best, value);
      if (settled) {
        break;
      }
    }
    double[] params = new double[point.length];
    for (int i = 0; i < params.length; i++) {
      params[i] = Math.exp(point[i]);
    }
    return new Optimum(params, -best, evaluations);
  }
}
