package org.lazyseg.train.data;

/**
 * Random transforms applied to each training crop. Free rotation and rescaling resample
 * (image bilinear, labels nearest neighbour); flips and 90-degree turns are exact.
 *
 * @param flips random horizontal flip
 * @param rotate90 random multiple of 90 degrees
 * @param maxRotationDegrees free rotation drawn from [-max, max]; 0 = off
 * @param minScale smallest zoom factor (< 1 zooms out); 1 with maxScale 1 = off
 * @param maxScale largest zoom factor
 */
public record Augmentation(
    boolean flips, boolean rotate90, double maxRotationDegrees, double minScale,
    double maxScale) {

  public Augmentation {
    if (!(minScale > 0) || maxScale < minScale) {
      throw new IllegalArgumentException("need 0 < minScale <= maxScale");
    }
  }

  /** Flips and 90-degree rotations only, like torch_train_reference.py. */
  public static Augmentation flipsAndRotations() {
    return new Augmentation(true, true, 0, 1, 1);
  }

  /** Flips, rotations, free rotation and rescaling as in the lazy-labels paper. */
  public static Augmentation full() {
    return new Augmentation(true, true, 180, 0.8, 1.25);
  }

  /** Whether every crop is resampled (free rotation or zoom on): then none is exact. */
  public boolean resamples() {
    return maxRotationDegrees > 0 || minScale != 1 || maxScale != 1;
  }

  /**
   * Whether a crop of {@code crop} pixels can hold a {@code width} x {@code height} image
   * whole and unresampled ({@link Augmenter#sample} then says where): the image fits the crop
   * in both directions (90-degree turns swap them) and crops are not resampled.
   */
  public boolean canHoldWhole(int crop, int width, int height) {
    return !resamples() && width <= crop && height <= crop;
  }

  /** "basic" or "full" (the names of {@code train --augment}), else the values. */
  public String label() {
    return equals(flipsAndRotations()) ? "basic" : equals(full()) ? "full" : toString();
  }

  public static Augmentation none() {
    return new Augmentation(false, false, 0, 1, 1);
  }
}
