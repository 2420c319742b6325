package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;

/**
 * Test Dice of saved instance predictions, split by the image's background: dark (mean
 * intensity of the first channel under 0.4: fluorescence) or bright (brightfield, histology).
 * On DSB2018 the bright images are a fifth of the test set and score far lower for every
 * method, so they say how much of a Dice gap lies in one kind of image.
 * usage: bench/tool DiceByBackground IMAGE_DIR MASK_DIR INSTANCES_DIR...
 *   IMAGE_DIR, MASK_DIR a dataset's images/ and masks/; INSTANCES_DIR as `lazyseg predict
 *   --instances` writes it (OUT/instances), matched by file name. One JSON line per run.
 */
public final class DiceByBackground {
  public static void main(String[] args) throws Exception {
    Path images = Path.of(args[0]), masks = Path.of(args[1]);
    for (int r = 2; r < args.length; r++) {
      Path pred = Path.of(args[r]);
      List<Path> files = Files.list(pred).filter(p -> p.toString().endsWith(".png")).sorted().toList();
      List<ImageScores> dark = new ArrayList<>(), bright = new ArrayList<>(), all = new ArrayList<>();
      for (Path f : files) {
        String name = f.getFileName().toString();
        ImageScores s = ImageScores.of(name, ImageFiles.readLabels(masks.resolve(name)), ImageFiles.readLabels(f), 1);
        (meanOfFirstChannel(ImageFiles.readImage(images.resolve(name))) < 0.4 ? dark : bright).add(s);
        all.add(s);
      }
      System.out.printf(Locale.ROOT,
          "{\"date\":\"%s\",\"pred\":\"%s\",\"dice\":%.4f,\"dark_images\":%d,\"dark_dice\":%.4f,\"bright_images\":%d,\"bright_dice\":%.4f}%n",
          java.time.LocalDate.now(), pred, Evaluation.of(all).mean().dice(), dark.size(),
          Evaluation.of(dark).mean().dice(), bright.size(), Evaluation.of(bright).mean().dice());
    }
  }

  private static double meanOfFirstChannel(FloatImage image) {
    double sum = 0;
    int n = image.width() * image.height();
    float[] d = image.data();
    for (int i = 0; i < n; i++) {
      sum += d[i];
    }
    return sum / n;
  }
}
