package org.lazyseg.core.ops;

import org.lazyseg.core.image.LabelImage;

/** Class probability planes ([class][pixel], row-major) turned into labels. */
public final class Probabilities {
  private Probabilities() {}

  /** Each pixel's most likely class; on a tie the lowest class id. */
  public static LabelImage argmax(float[][] probabilities, int width, int height) {
    int[] labels = new int[width * height];
    argmax(probabilities, labels.length, labels, 0);
    return new LabelImage(width, height, labels);
  }

  /**
   * The same for the first {@code count} pixels of the planes (e.g. a band of rows), written
   * to {@code labels[offset]} on.
   */
  public static void argmax(float[][] probabilities, int count, int[] labels, int offset) {
    for (int i = 0; i < count; i++) {
      int best = 0;
      for (int k = 1; k < probabilities.length; k++) {
        if (probabilities[k][i] > probabilities[best][i]) {
          best = k;
        }
      }
      labels[offset + i] = best;
    }
  }
}
