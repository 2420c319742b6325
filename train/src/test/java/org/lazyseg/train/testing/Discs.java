package org.lazyseg.train.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.data.Example;

/** Synthetic 2-class data: bright discs (label 1) on dark noise (label 0). */
public final class Discs {
  private Discs() {}

  public static List<Example> examples(int count, int size, long seed) {
    Random rng = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      FloatImage image = new FloatImage(size, size, 1);
      LabelImage labels = new LabelImage(size, size);
      int discs = 2 + rng.nextInt(3);
      double[][] d = new double[discs][];
      for (int k = 0; k < discs; k++) {
        d[k] = new double[] {rng.nextDouble() * size, rng.nextDouble() * size,
            4 + rng.nextDouble() * size / 8};
      }
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          boolean inside = false;
          for (double[] c : d) {
            inside |= (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) <= c[2] * c[2];
          }
          labels.set(x, y, inside ? 1 : 0);
          image.set(0, x, y, (float) ((inside ? 0.7 : 0.2) + 0.15 * rng.nextGaussian()));
        }
      }
      out.add(Example.of("disc" + n, image, labels));
    }
    return out;
  }
}
