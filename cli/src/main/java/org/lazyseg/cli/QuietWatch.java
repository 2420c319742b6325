package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a log from going quiet on long work when nobody watches a terminal (logs, scripts,
 * clusters): whatever is written through {@link #log()} counts as a sign of life, and when
 * none came for the quiet interval a daemon thread writes what the command is doing
 * ({@link #doing}) with the seconds since the last line. Below one second no thread is started
 * (tests drive the owner directly).
 */
final class QuietWatch implements AutoCloseable {
  private final PrintWriter log;
  private final long quietNanos;
  private volatile long lastWrite = System.nanoTime();
  private volatile String doing;
  private final ScheduledExecutorService thread;

  QuietWatch(PrintWriter target, double quietSeconds, String doing) {
    this.log = new PrintWriter(new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        target.write(buf, off, len);
        lastWrite = System.nanoTime();
      }

      @Override
      public void flush() {
        target.flush();
      }

      @Override
      public void close() throws IOException {
        target.flush();
      }
    });
    this.quietNanos = (long) (quietSeconds * 1e9);
    this.doing = doing;
    if (quietSeconds < 1) {
      this.thread = null;
      return;
    }
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lazyseg-quiet-watch");
      t.setDaemon(true);
      return t;
    });
    long period = (long) (Math.min(1.0, quietSeconds / 10) * 1e9);
    thread.scheduleAtFixedRate(this::sayIfQuiet, period, period, TimeUnit.NANOSECONDS);
  }

  /** The log to write to: every write through it restarts the quiet interval. */
  PrintWriter log() {
    return log;
  }

  /** What the command does now, said when the log has been quiet for the interval. */
  void doing(String what) {
    doing = what;
  }

  /** Nanoseconds since something was written through {@link #log()}. */
  long quietFor() {
    return System.nanoTime() - lastWrite;
  }

  private void sayIfQuiet() {
    long quiet = quietFor();
    if (quiet >= quietNanos) {
      log.printf(Locale.ROOT, "%s  (%.0f s since the last line)%n", doing, quiet / 1e9);
      log.flush();
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
    log.flush();
  }
}
