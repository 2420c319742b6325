package org.lazyseg.train.engine;

/**
 * How Adam runs in one round: its learning rate as a factor of the config's, and whether its
 * moment estimates start from zero when the round begins. A method whose objective changes
 * between rounds (tags: BCE of pooled scores, then Dice against voted masks) restarts them,
 * because Adam divides each step by a running mean of the squared gradients with a memory of
 * about 1000 steps: right after the change that mean still holds the old loss's gradients,
 * so steps come out many times too large or too small for most of a short round.
 *
 * @param learningRateFactor multiplies {@code TrainConfig#learningRate()}, &gt; 0
 * @param fresh whether Adam's moments restart at the round's first step
 */
public record RoundOptimizer(double learningRateFactor, boolean fresh) {
  /** The config's learning rate, Adam's state carried over: every round of most methods. */
  public static final RoundOptimizer SAME = new RoundOptimizer(1, false);

  public RoundOptimizer {
    if (!(learningRateFactor > 0) || Double.isInfinite(learningRateFactor)) {
      throw new IllegalArgumentException("learning-rate factor must be > 0: "
          + learningRateFactor);
    }
  }

  /** The plan of each round, by round index from 0. */
  @FunctionalInterface
  public interface Schedule {
    RoundOptimizer inRound(int round);
  }
}
