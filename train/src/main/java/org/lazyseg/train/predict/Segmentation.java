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
    int[] ids = instances.data();
    int[] area = Components.areas(instances);
    int[] keptIds = new int[ids.length], keptClasses = classes.data().clone();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0 && area[ids[i]] >= minArea) {
        keptIds[i] = ids[i];
      } else if (ids[i] > 0) {
        keptClasses[i] = 0;
      }
    }
    int w = classes.width(), h = classes.height();
    return new Segmentation(new LabelImage(w, h, keptClasses),
        Components.renumber(new LabelImage(w, h, keptIds)), probabilities);
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
