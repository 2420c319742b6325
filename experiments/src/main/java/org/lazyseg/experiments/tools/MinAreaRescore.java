package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.train.predict.Segmentation;

/**
 * Test scores of saved instance predictions after dropping the objects of fewer than each
 * given area, as `lazyseg predict --min-area` would (without predicting again).
 * usage: bench/tool MinAreaRescore INSTANCES_DIR MASK_DIR AREA,AREA,...
 *   INSTANCES_DIR as `lazyseg predict --instances` writes it (OUT/instances), MASK_DIR a
 *   dataset's masks/ (matched by file name)
 */
public final class MinAreaRescore {
  public static void main(String[] args) throws Exception {
    Path pred = Path.of(args[0]), truthDir = Path.of(args[1]);
    List<Path> files = Files.list(pred).filter(p -> p.toString().endsWith(".png")).sorted().toList();
    List<LabelImage> preds = new ArrayList<>(), truths = new ArrayList<>();
    for (Path f : files) {
      preds.add(ImageFiles.readLabels(f));
      truths.add(ImageFiles.readLabels(truthDir.resolve(f.getFileName())));
    }
    for (String a : args[2].split(",")) {
      int min = Integer.parseInt(a);
      List<ImageScores> s = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        LabelImage p = preds.get(i);
        LabelImage kept = new Segmentation(p, p, null).withoutObjectsUnder(min).instances();
        s.add(ImageScores.of(files.get(i).getFileName().toString(), truths.get(i), kept, 1));
      }
      ImageScores m = Evaluation.of(s).mean();
      System.out.printf(Locale.ROOT, "{\"date\":\"%s\",\"pred\":\"%s\",\"min_area\":%d,\"dice\":%.4f,\"object_dice\":%.4f,\"object_hausdorff\":%.1f,\"count_error\":%.2f}%n",
          java.time.LocalDate.now(), pred, min, m.dice(), m.objectDice(), m.objectHausdorff(), m.countError());
    }
  }
}
