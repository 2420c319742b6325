package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;

/**
 * How far an object reaches beyond its partial core, against the core's own inner radius r
 * (largest distance from a core pixel to the nearest pixel outside the core). Measures the
 * "far from every core is background" rule on a simulated dataset (masks/ = instance ids,
 * partial/ = the same ids): for margin factors k, background = pixels farther than
 * k * r_id + m from every core id; prints one JSON line per (k, m) with the share of true
 * object pixels the rule calls background (its error) and the share of true background it
 * labels (what it gives).
 * usage: bench/tool CoreReach DATA [K,K,..] [M,M,..]
 *   (bench/core_reach runs it and appends the lines to bench/results/core_reach.jsonl)
 */
public final class CoreReach {
  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    double[] ks = parse(args.length > 1 ? args[1] : "1,2,3,4");
    double[] ms = parse(args.length > 2 ? args[2] : "0,4,8");
    List<Path> partials;
    try (Stream<Path> s = Files.list(data.resolve("partial"))) {
      partials = s.sorted().toList();
    }
    long[][] wrong = new long[ks.length][ms.length];
    long[][] given = new long[ks.length][ms.length];
    long fgTotal = 0, bgTotal = 0;
    List<Double> ratios = new ArrayList<>();
    for (Path p : partials) {
      Path maskFile = data.resolve("masks").resolve(p.getFileName());
      if (!Files.exists(maskFile)) {
        continue;
      }
      LabelImage partial = ImageFiles.readLabels(p);
      LabelImage mask = ImageFiles.readLabels(maskFile);
      int n = mask.data().length;
      int maxId = Math.max(partial.max(), 0);
      // nearest[k][m][pixel]: some core reaches it
      boolean[][][] reached = new boolean[ks.length][ms.length][n];
      for (int id = 1; id <= maxId; id++) {
        LabelImage core = new LabelImage(mask.width(), mask.height());
        boolean any = false;
        for (int i = 0; i < n; i++) {
          if (partial.data()[i] == id) {
            core.data()[i] = 1;
            any = true;
          }
        }
        if (!any) {
          continue;
        }
        float r = 0;
        for (float v : DistanceTransforms.euclidean(core, Border.INSIDE_ONLY)) {
          r = Math.max(r, v);
        }
        float[] to = DistanceTransforms.euclideanTo(core);
        float reach = 0;
        for (int i = 0; i < n; i++) {
          if (mask.data()[i] == id) {
            reach = Math.max(reach, to[i]);
          }
        }
        ratios.add(reach / (double) r);
        for (int a = 0; a < ks.length; a++) {
          for (int b = 0; b < ms.length; b++) {
            double lim = ks[a] * r + ms[b];
            boolean[] hit = reached[a][b];
            for (int i = 0; i < n; i++) {
              if (to[i] <= lim) {
                hit[i] = true;
              }
            }
          }
        }
      }
      for (int i = 0; i < n; i++) {
        if (mask.data()[i] > 0) {
          fgTotal++;
        } else {
          bgTotal++;
        }
      }
      for (int a = 0; a < ks.length; a++) {
        for (int b = 0; b < ms.length; b++) {
          for (int i = 0; i < n; i++) {
            if (!reached[a][b][i]) {
              if (mask.data()[i] > 0) {
                wrong[a][b]++;
              } else {
                given[a][b]++;
              }
            }
          }
        }
      }
    }
    ratios.sort(null);
    System.out.printf(Locale.ROOT, "{\"objects\":%d,\"reach_over_r_p50\":%.2f,\"p90\":%.2f,"
            + "\"p99\":%.2f,\"max\":%.2f}%n", ratios.size(), q(ratios, 0.5), q(ratios, 0.9),
        q(ratios, 0.99), ratios.get(ratios.size() - 1));
    for (int a = 0; a < ks.length; a++) {
      for (int b = 0; b < ms.length; b++) {
        System.out.printf(Locale.ROOT, "{\"k\":%.1f,\"m\":%.0f,\"object_pixels_called_background\":%.5f,"
                + "\"background_labelled\":%.3f}%n", ks[a], ms[b],
            wrong[a][b] / (double) fgTotal, given[a][b] / (double) bgTotal);
      }
    }
  }

  private static double q(List<Double> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  private static double[] parse(String s) {
    String[] parts = s.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i]);
    }
    return out;
  }
}
