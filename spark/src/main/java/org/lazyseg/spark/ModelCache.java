package org.lazyseg.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.cli.Prediction;

/**
 * The models of this JVM (an executor's, or the driver's in local mode), by run folder and
 * the options they were opened with: a task borrows one and gives it back, so a model is
 * opened once per JVM and task slot and then reused by every later task. A model is not
 * thread-safe, so two tasks running at once in one JVM (local[2], or an executor with two
 * cores) each get their own. Models stay open until the JVM ends.
 */
final class ModelCache {
  private static final Map<String, ConcurrentLinkedDeque<SegmentationModel>> IDLE =
      new ConcurrentHashMap<>();
  private static final AtomicInteger OPENED = new AtomicInteger();
  private static final AtomicBoolean CPU_WARNED = new AtomicBoolean();

  private ModelCache() {}

  /**
   * A model of these settings: an idle one of this JVM, else a newly opened one; PyTorch's
   * threads for the calling thread set to the settings' (OpenMP counts them per thread, and
   * a Spark task thread could otherwise compute with OpenMP's default, one per core).
   */
  static SegmentationModel borrow(Prediction.Settings settings) throws IOException {
    SegmentationModel.useThreads(settings.threads());
    SegmentationModel model = IDLE.computeIfAbsent(key(settings),
        k -> new ConcurrentLinkedDeque<>()).pollFirst();
    if (model == null) {
      model = SegmentationModel.open(Path.of(settings.model()), settings.modelOptions());
      OPENED.incrementAndGet();
      // An executor's CPU can differ from the driver's, which warns in the driver log.
      warnAboutTheCpu(System.err::println, "executor");
    }
    return model;
  }

  /**
   * {@link SegmentationModel#cpuWarning}'s warning, once per JVM (the driver's and, in local
   * mode, its tasks' are one JVM), with where it comes from and how to set the cap for
   * executors.
   */
  static void warnAboutTheCpu(Consumer<String> out, String where) {
    SegmentationModel.cpuWarning().ifPresent(w -> {
      if (CPU_WARNED.compareAndSet(false, true)) {
        out.accept("lazyseg: WARNING (" + where + "): " + w + "; for executors set "
            + "spark.executorEnv.ONEDNN_MAX_CPU_ISA=SSE41");
      }
    });
  }

  /** Gives back a model {@link #borrow}ed with these settings, for the next task. */
  static void release(Prediction.Settings settings, SegmentationModel model) {
    IDLE.get(key(settings)).addFirst(model);
  }

  /** How many models this JVM has opened (for tests: reuse, not one per task). */
  static int opened() {
    return OPENED.get();
  }

  private static String key(Prediction.Settings s) {
    return Path.of(s.model()).toAbsolutePath().normalize() + "|" + s.modelOptions();
  }
}
