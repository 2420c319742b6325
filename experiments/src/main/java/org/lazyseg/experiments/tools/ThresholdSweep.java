package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.lazyseg.core.image.ImageFiles;

/**
 * Mean per-image foreground Dice of `lazyseg predict --probabilities` maps (16-bit) cut at
 * several thresholds instead of the argmax's 0.5: whether a run is only miscalibrated.
 * usage: bench/tool ThresholdSweep PROB_DIR MASK_DIR [T,T,..]
 */
public final class ThresholdSweep {
  public static void main(String[] args) throws Exception {
    Path prob = Path.of(args[0]), truth = Path.of(args[1]);
    String[] parts = (args.length > 2 ? args[2] : "0.2,0.3,0.4,0.5,0.6").split(",");
    double[] ts = new double[parts.length];
    for (int k = 0; k < ts.length; k++) {
      ts[k] = Double.parseDouble(parts[k]);
    }
    double[] sum = new double[ts.length];
    int n = 0;
    try (Stream<Path> s = Files.list(prob)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".png")).sorted().toList()) {
        int[] a = ImageFiles.readLabels(p).data();
        int[] b = ImageFiles.readLabels(truth.resolve(p.getFileName())).data();
        n++;
        for (int k = 0; k < ts.length; k++) {
          long tp = 0, fp = 0, fn = 0;
          double cut = ts[k] * 65535;
          for (int i = 0; i < a.length; i++) {
            boolean x = a[i] > cut, y = b[i] > 0;
            tp += x && y ? 1 : 0;
            fp += x && !y ? 1 : 0;
            fn += !x && y ? 1 : 0;
          }
          sum[k] += tp + fp + fn == 0 ? 1 : 2.0 * tp / (2 * tp + fp + fn);
        }
      }
    }
    for (int k = 0; k < ts.length; k++) {
      System.out.printf(Locale.ROOT, "{\"prob\":\"%s\",\"threshold\":%.2f,\"mean_dice\":%.4f}%n",
          prob, ts[k], sum[k] / n);
    }
  }
}
