package org.lazyseg.experiments.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * The least object area training would record (from the strong masks kept) for a dataset at
 * given strong fractions and seeds: what `lazyseg predict` then drops as speckle by default.
 * usage: bench/tool LeastObjectArea DATASET FRACTION[,FRACTION..] [SEEDS]
 */
public final class LeastObjectArea {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    TrainingSet set = Dataset.open(dir).trainingSet(Dataset.TRAIN);
    int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (String f : args[1].split(",")) {
      for (long seed = 0; seed < seeds; seed++) {
        List<LabelImage> objects = new ArrayList<>();
        for (LabeledImage image : set.withStrongFraction(Double.parseDouble(f), seed).train()) {
          image.instances().ifPresent(objects::add);
        }
        System.out.printf(Locale.ROOT, "{\"data\":\"%s\",\"strong_fraction\":%s,\"seed\":%d,"
            + "\"strong_images\":%d,\"min_area\":%d}%n", dir.getFileName(), f, seed,
            objects.size(), Components.leastObjectArea(objects));
      }
    }
  }
}
