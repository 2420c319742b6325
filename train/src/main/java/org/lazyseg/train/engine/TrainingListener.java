package org.lazyseg.train.engine;

import java.io.IOException;

/**
 * What the training loop of {@link TrainingRun} tells as it goes. Calls come on the training
 * thread, to the listeners in the order they were added. The run adds its own first: the
 * checkpoints (RUN/checkpoints/last and best), the metrics log (RUN/metrics.csv and
 * curves.png) and, when asked for, the timing breakdown ({@link LoopTiming}); so a listener
 * added later hears of an epoch when its checkpoint and metrics are on disk, and an exception
 * it throws stops the run as a kill would, after that epoch.
 *
 * <p>One epoch: {@link #onEpochStart}, then per step {@link #onBatchRequested},
 * {@link #onBatchReady} and {@link #onStep}, then {@link #onStepsEnd}, validation, and
 * {@link #onEpochEnd(EpochEnd)} (which by default hands its stats to
 * {@link #onEpochEnd(EpochStats)}). An epoch whose budget ran out before its first step ends
 * after {@code onStepsEnd}, without an epoch end.
 */
public interface TrainingListener {

  /** Before the first epoch of a {@link TrainingRun#run} call: the folder, and where it resumes. */
  default void onStart(TrainingStart start) throws IOException {}

  /** The step loop of an epoch starts (before its batch preparation starts). */
  default void onEpochStart(int epoch, int round) {}

  /** The loop asks for the next batch (it may have to wait for it). */
  default void onBatchRequested() {}

  /** The batch is there; its training step starts. */
  default void onBatchReady() {}

  /** After every optimiser step; {@code step} counts from 1 over the whole run. */
  default void onStep(long step, float loss) {}

  /**
   * Once the training images are loaded, before the first step: how many images train, how
   * many of them have strong masks, how many validate.
   */
  default void onDataLoaded(int trainImages, int strongImages, int validationImages) {}

  /** A notice for the user about what the run did on its own (one line, no trailing dot). */
  default void onMessage(String message) {}

  /**
   * A time-limited run planned (or re-planned) its epochs ({@link EpochPlan}): the first plan
   * comes a few steps into the first epoch, a new one at each later epoch's start.
   */
  default void onPlan(EpochPlan plan) {}

  /** The step loop of an epoch ended and its batch preparation stopped; validation follows. */
  default void onStepsEnd(int epoch) {}

  /** A finished epoch: its numbers, checkpoint state and network. */
  default void onEpochEnd(EpochEnd end) throws IOException {
    onEpochEnd(end.stats());
  }

  /** A finished epoch's numbers (unless {@link #onEpochEnd(EpochEnd)} is overridden). */
  default void onEpochEnd(EpochStats stats) {}
}
