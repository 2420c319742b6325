package org.lazyseg.core.image;

import java.util.Arrays;

/**
 * One integer per pixel, row-major ({@code data[y * width + x]}): class ids, instance ids
 * or task targets. 0 is background; {@link #IGNORE} marks pixels a loss must skip.
 */
public final class LabelImage {
  /** Pixels without a label: losses skip them. */
  public static final int IGNORE = -1;

  private final int width;
  private final int height;
  private final int[] data;

  public LabelImage(int width, int height) {
    this(width, height, new int[checkedSize(width, height)]);
  }

  /** Wraps {@code data} (not copied); its length must be width x height. */
  public LabelImage(int width, int height, int[] data) {
    if (data.length != checkedSize(width, height)) {
      throw new IllegalArgumentException(
          "data length " + data.length + " != " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
    this.data = data;
  }

  private static int checkedSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
    }
    long n = (long) width * height;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("image too large: " + n + " pixels");
    }
    return (int) n;
  }

  public int width() { return width; }

  public int height() { return height; }

  /** The backing array (not a copy). */
  public int[] data() { return data; }

  public int get(int x, int y) { return data[y * width + x]; }

  public void set(int x, int y, int v) { data[y * width + x] = v; }

  public int max() {
    int m = Integer.MIN_VALUE;
    for (int v : data) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** A copy of the rectangle [x0, x0 + w) x [y0, y0 + h); parts outside are {@code fill}. */
  public LabelImage crop(int x0, int y0, int w, int h, int fill) {
    LabelImage out = new LabelImage(w, h);
    if (fill != 0) {
      Arrays.fill(out.data, fill);
    }
    int xs = Math.max(0, x0), xe = Math.min(width, x0 + w);
    int ys = Math.max(0, y0), ye = Math.min(height, y0 + h);
    for (int y = ys; y < ye && xs < xe; y++) {
      System.arraycopy(data, y * width + xs, out.data, (y - y0) * w + (xs - x0), xe - xs);
    }
    return out;
  }

  /** A 0/1 image: 1 where the label is positive (any object), 0 elsewhere. */
  public LabelImage foreground() {
    int[] out = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[i] > 0 ? 1 : 0;
    }
    return new LabelImage(width, height, out);
  }

  public LabelImage copy() {
    return new LabelImage(width, height, Arrays.copyOf(data, data.length));
  }

  public boolean sameSize(int w, int h) {
    return width == w && height == h;
  }

  @Override
  public String toString() {
    return "LabelImage[" + width + " x " + height + "]";
  }
}
