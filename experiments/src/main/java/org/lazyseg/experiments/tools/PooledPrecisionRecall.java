package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.lazyseg.core.image.ImageFiles;

/**
 * Foreground precision, recall and Dice pooled over all pixels of a folder of predicted
 * label images against the truth (over- vs under-segmentation at a glance; `lazyseg
 * evaluate` gives per-image means). Files named *-image-* (pictures) are skipped.
 * usage: bench/tool PooledPrecisionRecall PRED_DIR MASK_DIR
 */
public final class PooledPrecisionRecall {
  public static void main(String[] args) throws Exception {
    Path pred = Path.of(args[0]), truth = Path.of(args[1]);
    long tp = 0, fp = 0, fn = 0;
    try (Stream<Path> s = Files.list(pred)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".png")
          && !x.getFileName().toString().contains("-image-")).sorted().toList()) {
        int[] a = ImageFiles.readLabels(p).data();
        int[] b = ImageFiles.readLabels(truth.resolve(p.getFileName())).data();
        for (int i = 0; i < a.length; i++) {
          boolean x = a[i] > 0, y = b[i] > 0;
          tp += x && y ? 1 : 0;
          fp += x && !y ? 1 : 0;
          fn += !x && y ? 1 : 0;
        }
      }
    }
    System.out.printf(Locale.ROOT, "{\"pred\":\"%s\",\"precision\":%.3f,\"recall\":%.3f,"
            + "\"pooled_dice\":%.3f}%n", pred, tp / (double) (tp + fp), tp / (double) (tp + fn),
        2.0 * tp / (2 * tp + fp + fn));
  }
}
