package org.lazyseg.core.measure;

import org.lazyseg.core.image.LabelImage;

/**
 * Pixel-overlap measures between a truth and a prediction of the same size. Foreground is
 * every positive value, so instance, class and 0/255 images all work.
 *
 * <p>Convention: when neither image has any foreground (or, per class, neither has the class)
 * the prediction is perfect, and Dice and IoU are 1.
 */
public final class PixelMeasures {
  private PixelMeasures() {}

  /** Foreground Dice {@code 2|X and Y| / (|X| + |Y|)}; 1 when both are empty. */
  public static double dice(LabelImage truth, LabelImage prediction) {
    long[] c = foregroundCounts(truth, prediction);
    return c[0] + c[1] == 0 ? 1.0 : 2.0 * c[2] / (c[0] + c[1]);
  }

  /** Foreground IoU {@code |X and Y| / |X or Y|}; 1 when both are empty. */
  public static double iou(LabelImage truth, LabelImage prediction) {
    long[] c = foregroundCounts(truth, prediction);
    long union = c[0] + c[1] - c[2];
    return union == 0 ? 1.0 : (double) c[2] / union;
  }

  /**
   * Dice of each class 1..classes for class-id images: element k - 1 is the Dice of
   * {@code truth == k} and {@code prediction == k} (1 where neither has class k).
   */
  public static double[] classDice(LabelImage truth, LabelImage prediction, int classes) {
    requireSameSize(truth, prediction);
    long[] inTruth = new long[classes + 1];
    long[] inPrediction = new long[classes + 1];
    long[] inBoth = new long[classes + 1];
    int[] t = truth.data(), p = prediction.data();
    for (int i = 0; i < t.length; i++) {
      if (t[i] > 0 && t[i] <= classes) {
        inTruth[t[i]]++;
        if (p[i] == t[i]) {
          inBoth[t[i]]++;
        }
      }
      if (p[i] > 0 && p[i] <= classes) {
        inPrediction[p[i]]++;
      }
    }
    double[] dice = new double[classes];
    for (int k = 1; k <= classes; k++) {
      long sum = inTruth[k] + inPrediction[k];
      dice[k - 1] = sum == 0 ? 1.0 : 2.0 * inBoth[k] / sum;
    }
    return dice;
  }

  /** {|truth|, |prediction|, |both|} counting positive pixels. */
  private static long[] foregroundCounts(LabelImage truth, LabelImage prediction) {
    requireSameSize(truth, prediction);
    long t = 0, p = 0, both = 0;
    int[] a = truth.data(), b = prediction.data();
    for (int i = 0; i < a.length; i++) {
      boolean inT = a[i] > 0, inP = b[i] > 0;
      t += inT ? 1 : 0;
      p += inP ? 1 : 0;
      both += inT && inP ? 1 : 0;
    }
    return new long[] {t, p, both};
  }

  static void requireSameSize(LabelImage a, LabelImage b) {
    if (!a.sameSize(b.width(), b.height())) {
      throw new IllegalArgumentException("images differ in size: " + a.width() + "x" + a.height()
          + " vs " + b.width() + "x" + b.height());
    }
  }
}
