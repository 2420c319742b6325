package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/**
 * Per test image, on average: predicted instances, 4-connected components of the predicted
 * foreground, how many of those are under MIN_AREA pixels (speckle), and true objects.
 * usage: bench/tool PieceCount PRED_DIR MASK_DIR [MIN_AREA]
 *   PRED_DIR as `lazyseg predict --instances` writes it (ID.png and instances/ID.png)
 */
public final class PieceCount {
  public static void main(String[] args) throws Exception {
    Path pred = Path.of(args[0]), truthDir = Path.of(args[1]);
    int minArea = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    double instances = 0, components = 0, small = 0, truth = 0;
    int n = 0;
    for (Path f : Files.list(pred.resolve("instances")).sorted().toList()) {
      n++;
      instances += Components.countIds(ImageFiles.readLabels(f));
      LabelImage c = Components.label(
          ImageFiles.readLabels(pred.resolve(f.getFileName())).foreground(), Connectivity.FOUR);
      int[] area = new int[Components.countIds(c) + 1];
      for (int v : c.data()) {
        area[v]++;
      }
      components += area.length - 1;
      for (int k = 1; k < area.length; k++) {
        small += area[k] < minArea ? 1 : 0;
      }
      truth += Components.countIds(Components.instances(
          ImageFiles.readLabels(truthDir.resolve(f.getFileName()))));
    }
    System.out.printf(Locale.ROOT, "{\"pred\":\"%s\",\"images\":%d,\"instances\":%.1f,"
        + "\"components\":%.1f,\"components_under_%d\":%.1f,\"truth_objects\":%.1f}%n",
        pred, n, instances / n, components / n, minArea, small / n, truth / n);
  }
}
