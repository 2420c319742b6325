package org.lazyseg.train.engine;

import java.util.Locale;

/**
 * How long the epochs of a time-limited run are (docs/methods.md, Time budgets). A run keeps
 * its rounds and epochs, so that a method that trains in rounds (recursive, tags) gets all of
 * them; what shrinks to fit the time left is the number of steps of each epoch, never above
 * the configured one. The time left is shared out at the start of every epoch (and a few steps
 * into the first, once a step has been timed): after what the remaining epochs' validation and
 * checkpoints, the remaining round hooks (re-labelling, voting) and the work after training
 * (the seed search) are expected to take, the rest is split evenly over the remaining epochs'
 * steps. Each estimate is what the run measured so far, so an early mistake is made good by
 * the epochs after it.
 *
 * @param epoch the epoch the plan was made in (from 1)
 * @param rounds rounds of the run
 * @param epochsPerRound epochs of each round
 * @param stepsPerEpoch steps each remaining epoch gets
 * @param maxStepsPerEpoch the configured steps of an epoch, the most it gets
 * @param stepSeconds measured seconds of a step
 * @param epochSeconds seconds each epoch takes besides its steps (validation, checkpoints)
 * @param hookSeconds seconds the remaining round hooks are expected to take, together
 * @param hooksLeft how many round hooks remain
 * @param reserveSeconds seconds kept for the work after training
 * @param leftSeconds seconds left of the budget when the plan was made
 */
public record EpochPlan(int epoch, int rounds, int epochsPerRound, int stepsPerEpoch,
    int maxStepsPerEpoch, double stepSeconds, double epochSeconds, double hookSeconds,
    int hooksLeft, double reserveSeconds, double leftSeconds) {

  /**
   * The steps each of {@code epochsLeft} epochs (the current one included, which has done
   * {@code doneInEpoch} steps already) gets when {@code leftNanos} remain before the loop must
   * end: at least 1 (and what the current epoch has done), at most {@code maxSteps}.
   */
  public static int steps(long leftNanos, int epochsLeft, int doneInEpoch, long stepNanos,
      long epochNanos, long hooksNanos, int maxSteps) {
    if (epochsLeft <= 0) {
      return maxSteps;
    }
    double free = (double) leftNanos - (double) epochsLeft * epochNanos - hooksNanos;
    double perEpoch = (free / Math.max(1, stepNanos) + doneInEpoch) / epochsLeft;
    long n = (long) Math.floor(perEpoch);
    return (int) Math.max(Math.max(1, doneInEpoch), Math.min(maxSteps, n));
  }

  /** Whether the plan cut the epochs short of their configured steps. */
  public boolean shortened() {
    return stepsPerEpoch < maxStepsPerEpoch;
  }

  /** One line for the user. */
  public String describe() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "plan: %d round%s x %d epoch%s x %d steps", rounds, rounds == 1 ? "" : "s",
        epochsPerRound, epochsPerRound == 1 ? "" : "s", stepsPerEpoch));
    if (shortened()) {
      s.append(String.format(Locale.ROOT, " (of %d)", maxStepsPerEpoch));
    }
    s.append(String.format(Locale.ROOT, " from epoch %d, %.2f s a step", epoch, stepSeconds));
    if (epochSeconds >= 0.05) {
      s.append(String.format(Locale.ROOT, ", %.1f s an epoch besides", epochSeconds));
    }
    if (hooksLeft > 0) {
      s.append(String.format(Locale.ROOT, ", %d round end%s (re-labelling) %.0f s",
          hooksLeft, hooksLeft == 1 ? "" : "s", hookSeconds));
    }
    if (reserveSeconds > 0) {
      s.append(String.format(Locale.ROOT, ", %.0f s kept for after training", reserveSeconds));
    }
    s.append(String.format(Locale.ROOT, "; %.1f min left", leftSeconds / 60));
    return s.toString();
  }
}
