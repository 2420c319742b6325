package org.lazyseg.train.engine;

import java.util.List;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.predict.Predictor;

/**
 * Runs between rounds, e.g. to re-label partial masks from the current predictions
 * (recursive approximation). It may replace entries of {@link Example#targets()}; no batch
 * is being prepared while it runs. Not called after the last round.
 *
 * <p>On resume inside round r > 0 the hook is called once more for round r - 1 with the
 * restored network, since re-labelled targets live only in memory. That reproduces the
 * original targets exactly when the run stopped at a round boundary, and approximately
 * otherwise.
 */
@FunctionalInterface
public interface RoundHook {
  void afterRound(int round, Predictor current, List<Example> trainExamples);

  /**
   * How long {@link #afterRound} will take after {@code round}, guessed before it ever ran
   * (e.g. by timing one image's share of the work), for the plan of a time-limited run; 0 when
   * it does nothing after that round. Must not change any target. Once a hook that does
   * work has run, the run plans with its measured time instead. The default: 0.
   */
  default long estimateNanos(int round, Predictor current, List<Example> trainExamples) {
    return 0;
  }
}
