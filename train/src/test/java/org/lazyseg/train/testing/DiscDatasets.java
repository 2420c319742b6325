package org.lazyseg.train.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.train.data.Example;

/**
 * A dataset folder of {@link Discs}: images/, masks/ (instance ids) and partial/ (random
 * inner cores, as the simulator makes them) for every image, all in split train.
 */
public final class DiscDatasets {
  private DiscDatasets() {}

  public static Path write(Path dir, int count, int size, long seed) {
    List<Example> discs = Discs.examples(count, size, seed);
    Random rnd = new Random(seed);
    for (Example e : discs) {
      LabelImage instances = Components.label(e.targets()[0], Connectivity.FOUR);
      ImageFiles.writeImage(e.image(), dir.resolve("images").resolve(e.id() + ".png"), false);
      ImageFiles.writeLabels(instances, dir.resolve("masks").resolve(e.id() + ".png"));
      ImageFiles.writeLabels(LazyLabels.partialMask(instances, null, rnd),
          dir.resolve("partial").resolve(e.id() + ".png"));
    }
    return dir;
  }
}
