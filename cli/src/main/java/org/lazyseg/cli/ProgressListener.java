package org.lazyseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lazyseg.train.engine.EpochPlan;
import org.lazyseg.train.engine.EpochStats;
import org.lazyseg.train.engine.LoopTiming;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingStart;

/**
 * Shows training progress: a bar per epoch with loss and speed when a person watches a
 * terminal; without one (logs, scripts, clusters) a line at least every
 * {@value #QUIET_SECONDS} seconds, also while nothing steps (loading, validation, the work of
 * a round's end, the seed search: a {@link QuietWatch} then says what the run is doing); and
 * one summary line per finished epoch always.
 */
public final class ProgressListener implements TrainingListener, AutoCloseable {
  private final int epochs;
  private int stepsPerEpoch;
  private final boolean bar;
  /** Measures the step loop for the summary line (compute, waiting for data); no file. */
  private final LoopTiming timing = new LoopTiming();
  private ProgressBar current;
  private int epoch;
  private double lossAverage = Double.NaN;
  /** Without a bar: the longest silence of the log. */
  static final int QUIET_SECONDS = 30;
  private final long quietNanos;
  private int stepInEpoch;
  /** Writes every line and, without a bar, speaks up when the log stays quiet. */
  private final QuietWatch watch;

  public ProgressListener(PrintWriter out, int firstEpoch, int epochs, int stepsPerEpoch, boolean bar) {
    this(out, firstEpoch, epochs, stepsPerEpoch, bar, QUIET_SECONDS);
  }

  ProgressListener(PrintWriter out, int firstEpoch, int epochs, int stepsPerEpoch, boolean bar,
      double quietSeconds) {
    this.epoch = firstEpoch;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.bar = bar;
    this.quietNanos = (long) (quietSeconds * 1e9);
    this.watch = new QuietWatch(out, bar ? 0 : quietSeconds, "preparing (images, network, plan)");
  }

  /** One line out (the quiet interval starts again). */
  private void line(String text) {
    watch.log().println(text);
    watch.log().flush();
  }

  /**
   * Counts epochs from where the run resumes: after a damaged checkpoint that can be earlier
   * than the first epoch it was made with.
   */
  @Override
  public void onStart(TrainingStart start) {
    epoch = start.doneEpochs() + 1;
  }

  @Override
  public void onDataLoaded(int trainImages, int strongImages, int validationImages) {
    line(String.format(Locale.ROOT, "lazyseg: %d training images (%d with strong masks), %d"
        + " validation images", trainImages, strongImages, validationImages));
  }

  @Override
  public void onMessage(String message) {
    line("lazyseg: " + message);
  }

  /** A time-limited run's epochs get the planned steps. */
  @Override
  public void onPlan(EpochPlan plan) {
    stepsPerEpoch = plan.stepsPerEpoch();
    if (current != null) {
      current.maxHint(stepsPerEpoch);
    }
  }

  @Override
  public void onEpochStart(int epoch, int round) {
    timing.onEpochStart(epoch, round);
    watch.doing(String.format(Locale.ROOT, "epoch %d/%d  preparing batches", epoch, epochs));
  }

  @Override
  public void onBatchRequested() {
    timing.onBatchRequested();
  }

  @Override
  public void onBatchReady() {
    timing.onBatchReady();
  }

  @Override
  public void onStepsEnd(int epoch) {
    timing.onStepsEnd(epoch);
    watch.doing(String.format(Locale.ROOT, "epoch %d/%d  validating and saving", epoch,
        epochs));
  }

  @Override
  public void onStep(long step, float loss) {
    timing.onStep(step, loss);
    lossAverage = Double.isNaN(lossAverage) ? loss : 0.95 * lossAverage + 0.05 * loss;
    stepInEpoch++;
    if (!bar) {
      String text = String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f", epoch,
          epochs, stepInEpoch, stepsPerEpoch, lossAverage);
      watch.doing(text);
      if (watch.quietFor() >= quietNanos) {
        line(text);
      }
      return;
    }
    if (current == null) {
      current = new ProgressBarBuilder()
          .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
          .setInitialMax(stepsPerEpoch)
          .setStyle(ProgressBarStyle.ASCII)
          .setUnit(" steps", 1)
          .showSpeed()
          .build();
    }
    current.step();
    current.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossAverage));
  }

  @Override
  public void onEpochEnd(EpochStats s) {
    closeBar();
    int n = Math.max(1, s.steps());
    line(String.format(Locale.ROOT, "epoch %d/%d  round %d  train loss %.4f  val loss %s  val Dice %s  %d steps in %.1f s (%.0f ms/step: compute %.0f, waiting for data %.0f)",
        s.epoch(), epochs, s.round(), s.trainLoss(), fmt(s.valLoss()), fmt(s.valDice()),
        s.steps(), s.seconds(), 1000 * timing.loopSeconds() / n,
        1000 * timing.stepSeconds() / n, 1000 * timing.waitSeconds() / n));
    watch.doing(String.format(Locale.ROOT, "epoch %d/%d done  (checkpoint, end-of-round or"
        + " after-training work)", s.epoch(), epochs));
    stepInEpoch = 0;
    epoch = s.epoch() + 1;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private void closeBar() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  public void close() {
    watch.close();
    closeBar();
  }
}
