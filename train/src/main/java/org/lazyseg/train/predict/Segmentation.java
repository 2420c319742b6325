package org.lazyseg.train.predict;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * What a trained method makes of one image. Instances from a class image and an interface
 * map: {@link org.lazyseg.core.weak.SeparationCut}.
 *
 * @param classes class ids, 0 background, 1..K
 * @param instances object ids, 0 background, touching objects apart where the method can
 *     tell them apart
 * @param probabilities the segmentation head's class probabilities [K + 1][pixels], for a
 *     probability map; may be null
 */
public record Segmentation(LabelImage classes, LabelImage instances, float[][] probabilities) {

  /**
   * This segmentation without the objects of fewer than {@code minArea} pixels: their pixels
   * become background in both the instances and the classes, the remaining objects are
   * numbered 1..n again, probabilities stay as they are. Speckle (a few pixels the network
   * is unsure about) otherwise counts as objects and inflates the count error; on GlaS most
   * predicted components of a multi-task run were small ones (BENCHMARKS.md, "Least object
   * area").
   * {@code minArea <= 1} returns this segmentation.
   */
  public Segmentation withoutObjectsUnder(int minArea) {
    if (minArea <= 1) {
      return this;
    }
    return new Segmentation(classes.copy(), instances.copy(), probabilities)
        .dropObjectsUnder(minArea);
  }

  /**
   * {@link #withoutObjectsUnder} in this segmentation's own class and instance images (for
   * images too large to copy); returns this.
   */
  public Segmentation dropObjectsUnder(int minArea) {
    if (minArea <= 1) {
      return this;
    }
    int[] ids = instances.data(), cls = classes.data();
    int[] area = Components.areas(instances);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0 && area[ids[i]] < minArea) {
        ids[i] = 0;
        cls[i] = 0;
      } else if (ids[i] < 0) {
        ids[i] = 0;
      }
    }
    Components.renumber(instances);
    return this;
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
