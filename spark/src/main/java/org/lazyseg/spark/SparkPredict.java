package org.lazyseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.cli.LazySeg;
import org.lazyseg.cli.PredictCommand;
import org.lazyseg.cli.Prediction;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageStack;

/**
 * {@code lazyseg predict --spark MASTER}: the driver. It lists the images as predict does,
 * skips those whose outputs are all there, and hands the rest to Spark: one task per file,
 * and for a file of one plane larger than the region size (with a model that
 * {@link SegmentationModel#decodesRegions decodes region by region}) one task per region and
 * then one that assembles the image. Then it merges the object rows into OUT/objects.csv and
 * OUT/objects.parquet ({@link ObjectTable}). Found by predict through
 * {@link java.util.ServiceLoader} (META-INF/services), so the cli module needs no Spark.
 */
public final class SparkPredict implements PredictCommand.OnSpark {
  /** How often Spark tries a task in local mode (a cluster has spark.task.maxFailures, 4). */
  static final int LOCAL_TRIES = 4;

  @Override
  public int predict(String master, int region, Prediction.Settings settings,
      List<Prediction.Item> items, PrintWriter log) throws IOException {
    long start = System.nanoTime();
    String sparkMaster = withRetries(master);
    SparkSession spark = SparkSession.builder().appName("lazyseg predict")
        .master(sparkMaster).config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate();
    try {
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      // One engine thread per task (spark.task.cpus, 1 by default): PyTorch's thread pool is
      // one per JVM, shared by the tasks that run in it at once.
      Prediction.Settings job = settings.withThreads(
          Integer.parseInt(context.getConf().get("spark.task.cpus", "1")));
      SegmentationModel model = ModelCache.borrow(job);
      Tasks.Job shared;
      boolean regions;
      try {
        log.println("lazyseg: " + model.describe());
        shared = new Tasks.Job(job, model.classNames(), Prediction.units(job, items));
        regions = model.decodesRegions();
      } finally {
        ModelCache.release(job, model);
      }
      Prediction prediction = new Prediction(job, shared.classNames(), shared.units());
      if (prediction.pixelSizesFound() != null) {
        log.println("lazyseg: pixel sizes from " + prediction.pixelSizesFound());
      }
      // Each image's counts and outputs in the batch's order (objects.csv's rows follow it),
      // whichever stage finished it.
      Prediction.Tally[] byItem = new Prediction.Tally[items.size()];
      int skipped = 0;
      List<Work> first = new ArrayList<>(), assemble = new ArrayList<>();
      int split = 0;
      for (int n = 0; n < items.size(); n++) {
        Prediction.Item item = items.get(n);
        if (!job.overwrite() && job.plane() == null && prediction.done(item.id())) {
          log.println(Prediction.counter(n + 1, items.size(), item.id()) + "done before, skipped");
          byItem[n] = new Prediction.Tally();
          byItem[n].before++;
          byItem[n].outputs.add(item.id());
          skipped++;
          continue;
        }
        int[] size = regions && job.plane() == null ? onePlaneSize(item) : null;
        if (size != null && (size[0] > region || size[1] > region)) {
          int count = ((size[0] + region - 1) / region) * ((size[1] + region - 1) / region);
          for (int y0 = 0; y0 < size[1]; y0 += region) {
            for (int x0 = 0; x0 < size[0]; x0 += region) {
              first.add(new Work(Work.Kind.REGION, item, n + 1, items.size(), x0, y0,
                  Math.min(region, size[0] - x0), Math.min(region, size[1] - y0), count));
            }
          }
          assemble.add(new Work(Work.Kind.ASSEMBLE, item, n + 1, items.size(), 0, 0, region,
              region, count));
          split++;
        } else {
          first.add(Work.file(item, n + 1, items.size()));
        }
      }
      log.printf(Locale.ROOT, "lazyseg: on Spark %s: %d tasks for %s%s%n", sparkMaster,
          first.size() + assemble.size(), images(items.size() - skipped),
          split == 0 ? "" : " (" + split + " of them in regions of " + region + " x " + region
              + ")");
      log.flush();
      for (List<Work> stage : List.of(first, assemble)) {
        if (stage.isEmpty()) {
          continue;
        }
        List<Tasks.Result> results = context.parallelize(stage, stage.size())
            .map(w -> Tasks.run(shared, w)).collect();
        for (int i = 0; i < results.size(); i++) {
          log.print(results.get(i).lines());
          int n = stage.get(i).n() - 1;
          byItem[n] = byItem[n] == null ? results.get(i).tally()
              : byItem[n].add(results.get(i).tally());
        }
        log.flush();
      }
      Prediction.Tally tally = new Prediction.Tally();
      for (Prediction.Tally t : byItem) {
        if (t != null) {
          tally.add(t);
        }
      }
      log.printf(Locale.ROOT, "lazyseg: %s, in %.1f s -> %s%n", tally.summary(),
          (System.nanoTime() - start) / 1e9, job.out());
      prediction.mergeTable(tally, log);
      ObjectTable.write(spark, shared, tally.outputs, log);
      log.flush();
      return tally.failed > 0 ? LazySeg.EXIT_INPUT : 0;
    } finally {
      spark.stop();
    }
  }

  /**
   * Spark's local mode tries a task once: local[N] becomes local[N,{@value #LOCAL_TRIES}]
   * so a failed task is tried again, as on a cluster.
   */
  static String withRetries(String master) {
    Matcher m = Pattern.compile("local\\[([0-9]+|\\*)]").matcher(master.strip());
    if (m.matches()) {
      return "local[" + m.group(1) + "," + LOCAL_TRIES + "]";
    }
    return master.strip().equals("local") ? "local[1," + LOCAL_TRIES + "]" : master.strip();
  }

  /** {width, height} of a file of one plane, from its header; null for a stack or an error. */
  private static int[] onePlaneSize(Prediction.Item item) {
    try (ImageStack stack = ImageStack.open(item.image())) {
      return stack.planes() == 1 ? ImageFiles.size(item.image()) : null;
    } catch (ImageFiles.ImageFileException e) {
      return null;   // its task names it
    }
  }

  private static String images(int n) {
    return n + (n == 1 ? " image" : " images");
  }
}
