package org.lazyseg.experiments.bench;

import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.core.weak.PseudoLabels;

/**
 * Java side of {@code bench/pseudo_labels.sh}: quality and cost of the GrabCut pseudo masks
 * ({@link PseudoLabels#pseudoMask}) on the training images of a dataset made by {@code lazyseg
 * simulate}, against the truth of the dataset it was made from. One thread. Prints one JSON
 * line per setting: images, mean Dice of the partial masks and of the pseudo masks against
 * the truth (foreground), wall seconds per image (mean, median, max) and CPU seconds per image
 * (the process's, OpenCV on one thread).
 *
 * <pre>
 * PseudoLabelsBenchmark --truth DATA --sim DATA2 [--limit N] [--every K]
 *     --setting MARGIN,ITERATIONS,MAXPIXELS|default [--setting ...]
 * </pre>
 *
 * {@code --every K} keeps every K-th training image with a partial mask (sorted by id), then
 * {@code --limit N} the first N of those. MAXPIXELS 0 means no downscaling.
 */
public final class PseudoLabelsBenchmark {
  private PseudoLabelsBenchmark() {}

  public static void main(String[] args) {
    Path truth = null, sim = null;
    int limit = Integer.MAX_VALUE, every = 1;
    List<PseudoLabels.Settings> settings = new ArrayList<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--truth" -> truth = Path.of(args[++a]);
        case "--sim" -> sim = Path.of(args[++a]);
        case "--limit" -> limit = Integer.parseInt(args[++a]);
        case "--every" -> every = Integer.parseInt(args[++a]);
        case "--setting" -> {
          if (args[a + 1].equals("default")) {
            a++;
            settings.add(PseudoLabels.Settings.defaults());
            continue;
          }
          String[] f = args[++a].split(",");
          int maxPixels = Integer.parseInt(f[2]);
          settings.add(new PseudoLabels.Settings(Double.parseDouble(f[0]), Integer.parseInt(f[1]),
              maxPixels == 0 ? Integer.MAX_VALUE : maxPixels));
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[a]);
      }
    }
    // One core: OpenCV's own threads off; CPU time of the process is reported next to wall
    // time (the machine is shared, so wall time depends on the others).
    setNumThreads(1);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Dataset truthData = Dataset.open(truth);
    Dataset simData = Dataset.open(sim);
    boolean classIds = simData.labelsHoldClassIds();
    List<Sample> picked = new ArrayList<>();
    List<Sample> train = simData.samples(Dataset.TRAIN).stream()
        .filter(s -> s.partial().isPresent()).toList();
    for (int k = 0; k < train.size() && picked.size() < limit; k += every) {
      picked.add(train.get(k));
    }
    for (PseudoLabels.Settings setting : settings) {
      double partialDice = 0, pseudoDice = 0;
      double[] seconds = new double[picked.size()];
      double cpuSeconds = 0;
      for (int k = 0; k < picked.size(); k++) {
        Sample s = picked.get(k);
        FloatImage image = s.loadImage();
        LabelImage partial = s.loadPartial();
        LabelImage classes = truthData.sample(s.id()).orElseThrow().loadClasses();
        long t0 = System.nanoTime();
        long c0 = os.getProcessCpuTime();
        LabelImage pseudo = PseudoLabels.pseudoMask(image, null, partial, classIds, setting);
        seconds[k] = (System.nanoTime() - t0) / 1e9;
        cpuSeconds += (os.getProcessCpuTime() - c0) / 1e9;
        partialDice += PixelMeasures.dice(classes, partial);
        pseudoDice += PixelMeasures.dice(classes, pseudo);
      }
      int n = picked.size();
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      System.out.printf(Locale.ROOT,
          "{\"bench\": \"pseudo_labels\", \"data\": \"%s\", \"images\": %d, \"box_margin\": %s,"
              + " \"iterations\": %d, \"max_pixels\": %s, \"partial_dice\": %.4f,"
              + " \"pseudo_dice\": %.4f, \"s_per_image_mean\": %.3f, \"s_per_image_median\": %.3f,"
              + " \"s_per_image_max\": %.3f, \"cpu_s_per_image\": %.3f}%n",
          truth.getFileName(), n, setting.boxMargin(), setting.iterations(),
          setting.maxPixels() == Integer.MAX_VALUE ? "null" : Integer.toString(setting.maxPixels()),
          partialDice / n, pseudoDice / n, Arrays.stream(seconds).sum() / n, median,
          n == 0 ? 0 : sorted[n - 1], cpuSeconds / n);
      System.out.flush();
    }
  }
}
