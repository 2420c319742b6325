package org.lazyseg.train.engine;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * A point in time by which a piece of work must be over: the wall-clock budget of a whole
 * training command, handed down to each phase (a method's pre-training, the training loop,
 * the seed search after it), which plan their rounds and steps in the time left. Times are
 * in the clock's nanoseconds ({@link System#nanoTime} unless a test gives another clock).
 *
 * <pre>{@code
 * TimeBudget budget = TimeBudget.of(15, TimeBudget.processStartNanos());   // the whole JVM
 * long left = budget.remainingNanos();
 * }</pre>
 */
public final class TimeBudget {
  /** No limit. */
  public static final TimeBudget NONE = new TimeBudget(Long.MAX_VALUE, 0, System::nanoTime);

  private final long end;
  private final long total;
  private final LongSupplier clock;

  private TimeBudget(long end, long total, LongSupplier clock) {
    this.end = end;
    this.total = total;
    this.clock = clock;
  }

  /**
   * {@code minutes} from {@code startNanos} (a {@link System#nanoTime} value); {@link #NONE}
   * for minutes &lt;= 0.
   */
  public static TimeBudget of(double minutes, long startNanos) {
    return of(minutes, startNanos, System::nanoTime);
  }

  /** The same on another clock (tests). */
  public static TimeBudget of(double minutes, long startNanos, LongSupplier clock) {
    if (!(minutes > 0)) {
      return NONE;
    }
    long total = (long) (minutes * 60e9);
    return new TimeBudget(startNanos + total, total, clock);
  }

  /**
   * When this JVM started, as a {@link System#nanoTime} value: a command's budget counted
   * from here holds its start-up and data loading too.
   */
  public static long processStartNanos() {
    long ageMillis = System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    return System.nanoTime() - Math.max(0, ageMillis) * 1_000_000L;
  }

  /** Whether there is a limit at all. */
  public boolean limited() {
    return end != Long.MAX_VALUE;
  }

  /** The clock's now. */
  public long now() {
    return clock.getAsLong();
  }

  /** The deadline on the clock; {@link Long#MAX_VALUE} without a limit. */
  public long end() {
    return end;
  }

  /** The whole budget as given, in nanoseconds (0 without a limit). */
  public long totalNanos() {
    return total;
  }

  /** Time left (negative once past the deadline); {@link Long#MAX_VALUE} without a limit. */
  public long remainingNanos() {
    return limited() ? end - now() : Long.MAX_VALUE;
  }

  /**
   * A budget of the first {@code share} (0..1) of the time left now, for the first of
   * several phases; without a limit, this one.
   */
  public TimeBudget share(double share) {
    if (!limited()) {
      return this;
    }
    long left = Math.max(0, remainingNanos());
    return new TimeBudget(now() + (long) (left * Math.max(0, Math.min(1, share))), total, clock);
  }

  /** A budget ending {@code nanos} earlier (work that must follow it keeps that time). */
  public TimeBudget minus(long nanos) {
    return limited() ? new TimeBudget(end - nanos, total, clock) : this;
  }

  @Override
  public String toString() {
    return limited() ? String.format(java.util.Locale.ROOT, "%.1f s left of %.1f s",
        remainingNanos() / 1e9, total / 1e9) : "no time limit";
  }
}
