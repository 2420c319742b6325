package org.lazyseg.train.predict;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/**
 * What a trained method makes of one image.
 *
 * @param classes class ids, 0 background, 1..K
 * @param instances object ids, 0 background, touching objects apart where the method can
 *     tell them apart
 * @param probabilities the segmentation head's class probabilities [K + 1][pixels], for a
 *     probability map; may be null
 */
public record Segmentation(LabelImage classes, LabelImage instances, float[][] probabilities) {

  /** The interface threshold of the SPEC: a pixel is an interface where that class wins. */
  public static final double INTERFACE_THRESHOLD = 0.5;

  /**
   * Instances: the foreground minus the pixels whose interface probability exceeds 1/2,
   * split into 4-connected components (SPEC section 2). {@code separation} may be null.
   */
  public static LabelImage instances(LabelImage classes, float[][] separation) {
    return instances(classes, separation, INTERFACE_THRESHOLD);
  }

  /**
   * {@link #instances(LabelImage, float[][])} with another interface threshold: interfaces
   * are rare, so a separation head trained with plain cross-entropy seldom passes 1/2.
   */
  public static LabelImage instances(LabelImage classes, float[][] separation,
      double threshold) {
    LabelImage fg = classes.foreground();
    if (separation != null) {
      int[] d = fg.data();
      for (int i = 0; i < d.length; i++) {
        if (separation[1][i] > threshold) {
          d[i] = 0;
        }
      }
    }
    return Components.label(fg, Connectivity.FOUR);
  }

  /** Foreground probability (1 - background) as an image-sized array. */
  public float[] foregroundProbability() {
    float[] fg = new float[probabilities[0].length];
    for (int i = 0; i < fg.length; i++) {
      fg[i] = 1f - probabilities[0][i];
    }
    return fg;
  }
}
