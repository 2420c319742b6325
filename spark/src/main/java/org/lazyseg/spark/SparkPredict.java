package org.lazyseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
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
    // A Spark context only: the object table is written without Spark SQL (ObjectTable).
    JavaSparkContext context = new JavaSparkContext(new SparkConf(true)
        .setAppName("lazyseg predict").setMaster(sparkMaster).set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false"));
    double started = (System.nanoTime() - start) / 1e9;
    try {
      // One engine thread per task (spark.task.cpus, 1 by default): PyTorch's thread pool is
      // one per JVM, shared by the tasks that run in it at once.
      Prediction.Settings job = settings.withThreads(
          Integer.parseInt(context.getConf().get("spark.task.cpus", "1")));
      ModelCache.warnAboutTheCpu(log::println, "driver");
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
      List<Work> files = new ArrayList<>(), regionWork = new ArrayList<>(),
          assemble = new ArrayList<>();
      List<Long> pixels = new ArrayList<>();
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
        long[] size = fileSize(item);
        if (regions && job.plane() == null && size != null && size[2] == 1
            && (size[0] > region || size[1] > region)) {
          int count = (int) (((size[0] + region - 1) / region)
              * ((size[1] + region - 1) / region));
          for (int y0 = 0; y0 < size[1]; y0 += region) {
            for (int x0 = 0; x0 < size[0]; x0 += region) {
              regionWork.add(new Work(Work.Kind.REGION, item, n + 1, items.size(), x0, y0,
                  (int) Math.min(region, size[0] - x0), (int) Math.min(region, size[1] - y0),
                  count));
            }
          }
          assemble.add(new Work(Work.Kind.ASSEMBLE, item, n + 1, items.size(), 0, 0, region,
              region, count));
          split++;
        } else {
          files.add(Work.file(item, n + 1, items.size()));
          pixels.add(size == null ? 0 : size[0] * size[1] * size[2]);
        }
      }
      List<List<Work>> first = new ArrayList<>(groups(files, pixels, (long) region * region,
          4 * context.defaultParallelism()));
      for (Work w : regionWork) {
        first.add(List.of(w));
      }
      log.printf(Locale.ROOT, "lazyseg: on Spark %s (started in %.1f s): %d tasks for %s%s%n",
          sparkMaster, started, first.size() + assemble.size(), images(items.size() - skipped),
          split == 0 ? "" : " (" + split + " of them in regions of " + region + " x " + region
              + ")");
      log.flush();
      List<List<Work>> last = assemble.stream().map(List::of).toList();
      for (List<List<Work>> stage : List.of(first, last)) {
        if (stage.isEmpty()) {
          continue;
        }
        // One Spark job per stage, one task per group of works; the results come back in
        // the stage's order.
        List<java.util.ArrayList<Tasks.Result>> results = context.parallelize(stage, stage.size())
            .map(group -> Tasks.run(shared, group)).collect();
        for (int g = 0; g < results.size(); g++) {
          for (int i = 0; i < results.get(g).size(); i++) {
            Tasks.Result result = results.get(g).get(i);
            log.print(result.lines());
            int n = stage.get(g).get(i).n() - 1;
            byItem[n] = byItem[n] == null ? result.tally() : byItem[n].add(result.tally());
          }
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
      ObjectTable.write(shared, tally.outputs, log);
      log.flush();
      return tally.failed > 0 ? LazySeg.EXIT_INPUT : 0;
    } finally {
      context.stop();
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

  /**
   * Consecutive file works in groups, one Spark task each: a task per small image made
   * Spark's per-task costs (scheduling, serialisation, a result per task) a part of every
   * image's time. Groups of about equal pixels, at most {@code maxPixels} each unless one
   * image is larger, and at least {@code minGroups} (so that every task slot gets work and a
   * slow node does not hold the last group alone) unless there are fewer images. An image
   * whose size could not be read counts as the mean of the others.
   */
  static List<List<Work>> groups(List<Work> works, List<Long> pixels, long maxPixels,
      int minGroups) {
    List<List<Work>> groups = new ArrayList<>();
    if (works.isEmpty()) {
      return groups;
    }
    long known = 0;
    int counted = 0;
    for (long p : pixels) {
      known += p;
      counted += p > 0 ? 1 : 0;
    }
    long mean = counted == 0 ? 1 : Math.max(1, known / counted);
    long[] size = pixels.stream().mapToLong(p -> p > 0 ? p : mean).toArray();
    long total = java.util.Arrays.stream(size).sum();
    long count = Math.min(works.size(), Math.max(minGroups, (total + maxPixels - 1) / maxPixels));
    double per = (double) total / count;
    List<Work> group = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < works.size(); i++) {
      // A new group once this one holds its share, so that the groups stay near total/count.
      if (!group.isEmpty() && sum + size[i] / 2.0 > per * (groups.size() + 1)) {
        groups.add(group);
        group = new ArrayList<>();
      }
      group.add(works.get(i));
      sum += size[i];
    }
    groups.add(group);
    return groups;
  }

  /** {width, height, planes} of a file, from its header; null for an error. */
  private static long[] fileSize(Prediction.Item item) {
    try (ImageStack stack = ImageStack.open(item.image())) {
      int[] size = ImageFiles.size(item.image());
      return new long[] {size[0], size[1], stack.planes()};
    } catch (ImageFiles.ImageFileException e) {
      return null;   // its task names it
    }
  }

  private static String images(int n) {
    return n + (n == 1 ? " image" : " images");
  }
}
