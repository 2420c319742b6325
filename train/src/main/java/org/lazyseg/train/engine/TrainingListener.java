package org.lazyseg.train.engine;

/** Progress callbacks, called on the training thread. Checkpoints and logs are not these. */
public interface TrainingListener {

  /** After every optimiser step; {@code step} counts from 1 over the whole run. */
  default void onStep(long step, float loss) {}

  default void onEpochEnd(EpochStats stats) {}
}
