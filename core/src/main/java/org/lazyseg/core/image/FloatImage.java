package org.lazyseg.core.image;

import java.util.Arrays;

/**
 * A multi-channel image of floats, stored channel-planar and row-major:
 * the value of channel {@code c} at column {@code x}, row {@code y} is
 * {@code data[(c * height + y) * width + x]}. This is the CHW order networks consume,
 * so handing an image to DJL costs one copy.
 */
public final class FloatImage {
  private final int width;
  private final int height;
  private final int channels;
  private final float[] data;

  public FloatImage(int width, int height, int channels) {
    this(width, height, channels, new float[checkedSize(width, height, channels)]);
  }

  /** Wraps {@code data} (not copied); its length must be width x height x channels. */
  public FloatImage(int width, int height, int channels, float[] data) {
    if (data.length != checkedSize(width, height, channels)) {
      throw new IllegalArgumentException(
          "data length " + data.length + " != " + width + " x " + height + " x " + channels);
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.data = data;
  }

  private static int checkedSize(int width, int height, int channels) {
    if (width <= 0 || height <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive: " + width + " x " + height + " x " + channels);
    }
    long n = (long) width * height * channels;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("image too large: " + n + " values");
    }
    return (int) n;
  }

  public int width() { return width; }

  public int height() { return height; }

  public int channels() { return channels; }

  /** The backing array (not a copy), in the layout described on the class. */
  public float[] data() { return data; }

  public float get(int c, int x, int y) { return data[(c * height + y) * width + x]; }

  public void set(int c, int x, int y, float v) { data[(c * height + y) * width + x] = v; }

  /** A copy of the rectangle [x0, x0 + w) x [y0, y0 + h); parts outside the image are 0. */
  public FloatImage crop(int x0, int y0, int w, int h) {
    FloatImage out = new FloatImage(w, h, channels);
    int xs = Math.max(0, x0), xe = Math.min(width, x0 + w);
    int ys = Math.max(0, y0), ye = Math.min(height, y0 + h);
    if (xs >= xe || ys >= ye) {
      return out;
    }
    for (int c = 0; c < channels; c++) {
      for (int y = ys; y < ye; y++) {
        System.arraycopy(data, (c * height + y) * width + xs,
            out.data, (c * h + (y - y0)) * w + (xs - x0), xe - xs);
      }
    }
    return out;
  }

  public FloatImage copy() {
    return new FloatImage(width, height, channels, Arrays.copyOf(data, data.length));
  }

  @Override
  public String toString() {
    return "FloatImage[" + width + " x " + height + " x " + channels + "]";
  }
}
