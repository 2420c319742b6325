package org.lazyseg.train.engine;

/** Progress callbacks, called on the training thread. Checkpoints and logs are not these. */
public interface TrainingListener {

  /** After every optimiser step; {@code step} counts from 1 over the whole run. */
  default void onStep(long step, float loss) {}

  /**
   * Once the training images are loaded, before the first step: how many images train, how
   * many of them have strong masks, how many validate.
   */
  default void onDataLoaded(int trainImages, int strongImages, int validationImages) {}

  default void onEpochEnd(EpochStats stats) {}
}
