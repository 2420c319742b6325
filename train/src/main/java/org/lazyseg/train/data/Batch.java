package org.lazyseg.train.data;

/**
 * A ready batch as plain arrays: {@code images} is (N, C, S, S) row-major,
 * {@code targets[t]} is (N, S, S) for task t. {@code imageLabels} is (N, L) row-major, the
 * examples' {@link Example#imageLabels()} (NaN where an example has none), or null when no
 * example of the set has any. {@code wholeImages[e]} is where example e's whole image lies
 * in its crop, or null (see {@link #wholeImage}). The training step only wraps these.
 */
public record Batch(int size, int channels, int crop, float[] images, int[][] targets,
    float[] imageLabels, int[][] wholeImages) {

  /** A batch with pixel targets only. */
  public Batch(int size, int channels, int crop, float[] images, int[][] targets) {
    this(size, channels, crop, images, targets, null);
  }

  /** A batch whose crops are not known to hold whole images. */
  public Batch(int size, int channels, int crop, float[] images, int[][] targets,
      float[] imageLabels) {
    this(size, channels, crop, images, targets, imageLabels, new int[size][]);
  }

  /**
   * Where example e's whole image lies in its crop, {@code {x0, y0, x1, y1}} inclusive, or
   * null when the crop does not hold all of it unresampled ({@link Augmenter#sample}).
   */
  public int[] wholeImage(int e) {
    return wholeImages[e];
  }

  /** Values per image in {@link #imageLabels()}, 0 without. */
  public int imageLabelCount() {
    return imageLabels == null ? 0 : imageLabels.length / size;
  }
}
