package org.lazyseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.cli.Prediction;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageStack;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.predict.Segmentation;

/**
 * What a Spark task does with its {@link Work}, on an executor: the same
 * {@link Prediction} code as {@code lazyseg predict}, with the model of this JVM
 * ({@link ModelCache}). A task's lines (predict's "[n/count] id ..." lines) go back to the
 * driver, which prints them in the batch's order.
 */
final class Tasks {
  /**
   * A test-only system property: the first attempt of the task that writes the outputs of
   * the image of this id fails right after its first output file is in place (as a killed or
   * failing executor would), so Spark retries it.
   */
  static final String FAIL_ONCE = "lazyseg.test.failOnce";

  /** What every task of a batch shares: predict's settings and what the driver settled. */
  record Job(Prediction.Settings settings, List<String> classNames, boolean units)
      implements Serializable {}

  /** What a task did: its lines for the log and its counts. */
  record Result(String lines, Prediction.Tally tally) implements Serializable {}

  /** The image a region task read last in this JVM: the next region of it reuses it. */
  private static SoftReference<Object[]> lastImage = new SoftReference<>(null);

  private Tasks() {}

  /**
   * The works of one task, one after another with one model of this JVM: their results in
   * their order.
   */
  static java.util.ArrayList<Result> run(Job job, List<Work> works) throws IOException {
    java.util.ArrayList<Result> results = new java.util.ArrayList<>();
    SegmentationModel model = ModelCache.borrow(job.settings());
    try {
      Prediction prediction = new Prediction(job.settings(), job.classNames(), job.units())
          .onWritten(Tasks::failOnce);
      for (Work work : works) {
        results.add(run(prediction, work, model));
      }
    } finally {
      ModelCache.release(job.settings(), model);
    }
    return results;
  }

  private static Result run(Prediction prediction, Work work, SegmentationModel model) {
    StringWriter text = new StringWriter();
    Prediction.Tally tally = new Prediction.Tally();
    try (PrintWriter log = new PrintWriter(text)) {
      switch (work.kind()) {
        case FILE -> tally = prediction.segmentFile(model, work.item(), work.n(), work.count(),
            log);
        case REGION -> region(prediction, model, work);
        case ASSEMBLE -> tally = assemble(prediction, model, work, log);
        default -> throw new IllegalStateException(work.kind().toString());
      }
    }
    return new Result(text.toString(), tally);
  }

  /** Decodes one region of a large image into its region file (kept from an earlier run). */
  private static void region(Prediction prediction, SegmentationModel model, Work work) {
    Path out = Path.of(prediction.settings().out());
    Path file = RegionFiles.file(out, work.item().id(), work.x0(), work.y0());
    String key = regionKey(prediction, work.item());
    if (RegionFiles.matches(file, key)) {
      return;   // done by an earlier attempt or run
    }
    FloatImage image;
    try {
      image = image(prediction, work.item());
    } catch (ImageFiles.ImageFileException e) {
      return;   // the assembly names it
    }
    if (work.x0() + work.width() > image.width() || work.y0() + work.height() > image.height()) {
      throw new IllegalStateException(work.item().image() + " changed size while segmented");
    }
    LabelImage classes = new LabelImage(work.width(), work.height());
    LabelImage cut = model.cuts() ? new LabelImage(work.width(), work.height()) : null;
    float[] fg = prediction.settings().probabilities()
        ? new float[work.width() * work.height()] : null;
    model.decodeRegion(image, work.x0(), work.y0(), classes, cut, fg);
    RegionFiles.write(file, key, work.x0(), work.y0(), classes, cut, fg);
  }

  /**
   * The outputs of a large image from its regions: their class ids, cut and probabilities
   * put together, then {@link SegmentationModel#finish} on the whole (instances, so an
   * object cut by a region border is one object, and the least object area), and predict's
   * outputs written as {@link Prediction#write} writes them.
   */
  private static Prediction.Tally assemble(Prediction prediction, SegmentationModel model,
      Work work, PrintWriter log) {
    Prediction.Tally tally = new Prediction.Tally();
    Prediction.Item item = work.item();
    String line = Prediction.counter(work.n(), work.count(), item.id());
    long t0 = System.nanoTime();
    Path out = Path.of(prediction.settings().out());
    try (ImageStack stack = ImageStack.open(item.image())) {
      FloatImage image = image(prediction, item);
      String misfit = prediction.misfit(model, item, stack, image);
      if (misfit != null) {
        log.println(line + "failed: " + misfit);
        tally.failed++;
        return tally;
      }
      int w = image.width(), h = image.height();
      String key = regionKey(prediction, item);
      LabelImage classes = new LabelImage(w, h);
      LabelImage cut = model.cuts() ? new LabelImage(w, h) : null;
      FloatImage fg = prediction.settings().probabilities() ? new FloatImage(w, h, 1) : null;
      for (int y0 = 0; y0 < h; y0 += work.height()) {
        for (int x0 = 0; x0 < w; x0 += work.width()) {
          RegionFiles.readInto(RegionFiles.file(out, item.id(), x0, y0), key, classes, cut,
              fg != null ? fg.data() : null);
        }
      }
      Segmentation seg = model.finish(classes, cut);
      cut = null;   // became the instances (or is free)
      var size = prediction.table() == null ? null : prediction.pixelSize(item.id(), item.id(),
          stack);
      prediction.writeProbabilities(item.id(), fg);
      fg = null;
      prediction.write(model, item.id(), image, seg, size, log);
      RegionFiles.delete(out, item.id());
      log.printf(Locale.ROOT, "%s%d x %d  in %d regions  %.1f s%s%n", line, w, h,
          work.regions(), (System.nanoTime() - t0) / 1e9, size != null ? "  pixel " + size : "");
      tally.segmented++;
      tally.outputs.add(item.id());
    } catch (ImageFiles.ImageFileException e) {
      log.println(line + "failed: " + e.getMessage());
      tally.failed++;
    }
    return tally;
  }

  /**
   * Plane 1 of a file of one plane, as predict reads it; the regions of one image that run
   * one after another in a JVM decode it once.
   */
  private static synchronized FloatImage image(Prediction prediction, Prediction.Item item) {
    String key = item.file() + "|" + prediction.settings().channel();
    Object[] last = lastImage.get();
    if (last != null && last[0].equals(key)) {
      return (FloatImage) last[1];
    }
    try (ImageStack stack = ImageStack.open(item.image())) {
      FloatImage image = prediction.plane(stack, 0);
      lastImage = new SoftReference<>(new Object[] {key, image});
      return image;
    }
  }

  /**
   * What a region file is made from: the model and its options, the image file as it is now
   * (size, time), the channel and whether probabilities are kept.
   */
  private static String regionKey(Prediction prediction, Prediction.Item item) {
    Prediction.Settings s = prediction.settings();
    try {
      Path file = item.image();
      return Path.of(s.model()).toAbsolutePath().normalize() + "|" + s.modelOptions() + "|"
          + file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|"
          + Files.getLastModifiedTime(file).toMillis() + "|" + s.channel() + "|"
          + s.probabilities();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** How many failures {@value #FAIL_ONCE} made in this JVM. */
  static int injected() {
    return INJECTED.get();
  }

  private static final java.util.concurrent.atomic.AtomicInteger INJECTED =
      new java.util.concurrent.atomic.AtomicInteger();

  private static void failOnce(String id, Path file) {
    TaskContext task = TaskContext.get();
    if (id.equals(System.getProperty(FAIL_ONCE)) && task != null
        && task.attemptNumber() == 0) {
      INJECTED.incrementAndGet();
      throw new IllegalStateException("injected failure (" + FAIL_ONCE + "=" + id + ") after "
          + file);
    }
  }
}
