package org.lazyseg.train.data;

/**
 * A ready batch as plain arrays: {@code images} is (N, C, S, S) row-major,
 * {@code targets[t]} is (N, S, S) for task t. {@code imageLabels} is (N, L) row-major, the
 * examples' {@link Example#imageLabels()} (NaN where an example has none), or null when no
 * example of the set has any. The training step only wraps these.
 */
public record Batch(int size, int channels, int crop, float[] images, int[][] targets,
    float[] imageLabels) {

  /** A batch with pixel targets only. */
  public Batch(int size, int channels, int crop, float[] images, int[][] targets) {
    this(size, channels, crop, images, targets, null);
  }

  /** Values per image in {@link #imageLabels()}, 0 without. */
  public int imageLabelCount() {
    return imageLabels == null ? 0 : imageLabels.length / size;
  }
}
