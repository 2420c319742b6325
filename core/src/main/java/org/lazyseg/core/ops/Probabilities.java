package org.lazyseg.core.ops;

import org.lazyseg.core.image.LabelImage;

/** Class probability planes ([class][pixel], row-major) turned into labels. */
public final class Probabilities {
  private Probabilities() {}

  /** Each pixel's most likely class; on a tie the lowest class id. */
  public static LabelImage argmax(float[][] probabilities, int width, int height) {
    int[] labels = new int[width * height];
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int k = 1; k < probabilities.length; k++) {
        if (probabilities[k][i] > probabilities[best][i]) {
          best = k;
        }
      }
      labels[i] = best;
    }
    return new LabelImage(width, height, labels);
  }
}
