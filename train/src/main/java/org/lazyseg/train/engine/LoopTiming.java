package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an epoch's time goes, for benchmarks: the step loop's wall time, the time inside the
 * training steps (forward, backward, update) and the time the loop waited for a batch (data
 * loading and augmentation that did not overlap compute).
 *
 * <p>{@link #toFile()} also writes RUN/{@value #FILE} after every epoch (rewritten whole, via a
 * temporary file and a rename; after a resume it keeps the rows of the finished epochs):
 *
 * <pre>
 * epoch,steps,epoch_s,loop_s,step_s,wait_s
 * </pre>
 *
 * where epoch_s runs from the start of the step loop until this listener hears of the
 * epoch's end, validation, checkpoints and metrics included. {@link TrainingRun} installs such
 * a listener, after the checkpoints and the metrics log, when the system property
 * {@value #PROPERTY} is {@code true} (e.g. {@code LAZYSEG_JAVA_OPTS="-Xmx8g
 * -Dlazyseg.timing=true"}); bench/loop_breakdown reads the file. A plain {@code new
 * LoopTiming()} only measures: after {@link #onStepsEnd} its getters give the epoch's
 * numbers (the progress line of {@code lazyseg train} shows them).
 */
public final class LoopTiming implements TrainingListener {
  /** The file in the run folder. */
  public static final String FILE = "timing.csv";
  /** The system property that makes {@link TrainingRun} install {@link #toFile()}. */
  public static final String PROPERTY = "lazyseg.timing";
  static final String HEADER = "epoch,steps,epoch_s,loop_s,step_s,wait_s";

  /** One epoch's row of the file. */
  public record EpochTiming(int epoch, int steps, double epochSeconds, double loopSeconds,
      double stepSeconds, double waitSeconds) {}

  private final boolean writes;
  private final List<EpochTiming> rows = new ArrayList<>();
  private Path file;
  private long loopStart;
  private long loopNanos;
  private long stepNanos;
  private long waitNanos;
  private long requested;
  private long ready;

  /** Measures only, writes nothing. */
  public LoopTiming() {
    this(false);
  }

  private LoopTiming(boolean writes) {
    this.writes = writes;
  }

  /** Measures and writes RUN/{@value #FILE}. */
  public static LoopTiming toFile() {
    return new LoopTiming(true);
  }

  /** Whether the system property asks runs for their timing file. */
  static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  @Override
  public void onStart(TrainingStart start) throws IOException {
    if (!writes) {
      return;
    }
    file = start.folder().root().resolve(FILE);
    rows.clear();
    for (String[] f : EpochCsv.rowsUpTo(file, start.doneEpochs())) {
      rows.add(new EpochTiming(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
          Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[5])));
    }
  }

  @Override
  public void onEpochStart(int epoch, int round) {
    loopStart = System.nanoTime();
    stepNanos = 0;
    waitNanos = 0;
    loopNanos = 0;
  }

  @Override
  public void onBatchRequested() {
    requested = System.nanoTime();
  }

  @Override
  public void onBatchReady() {
    ready = System.nanoTime();
    waitNanos += ready - requested;
  }

  @Override
  public void onStep(long step, float loss) {
    stepNanos += System.nanoTime() - ready;
  }

  @Override
  public void onStepsEnd(int epoch) {
    loopNanos = System.nanoTime() - loopStart;
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    if (!writes) {
      return;
    }
    EpochStats s = end.stats();
    rows.add(new EpochTiming(s.epoch(), s.steps(), (System.nanoTime() - loopStart) / 1e9,
        loopSeconds(), stepSeconds(), waitSeconds()));
    List<String> lines = new ArrayList<>();
    for (EpochTiming r : rows) {
      lines.add(String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%.3f,%.3f%n", r.epoch(), r.steps(),
          r.epochSeconds(), r.loopSeconds(), r.stepSeconds(), r.waitSeconds()));
    }
    EpochCsv.write(file, HEADER, lines);
  }

  /** Wall time of the last step loop, batch preparation start and stop included. */
  public double loopSeconds() {
    return loopNanos / 1e9;
  }

  /** Time inside the last epoch's training steps. */
  public double stepSeconds() {
    return stepNanos / 1e9;
  }

  /** Time the last epoch's loop waited for batches. */
  public double waitSeconds() {
    return waitNanos / 1e9;
  }

  /** The rows written so far (with {@link #toFile()}). */
  public List<EpochTiming> rows() {
    return List.copyOf(rows);
  }
}
