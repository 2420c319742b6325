package org.lazyseg.train.data;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

/**
 * Cuts one randomly placed, randomly transformed, normalised S x S crop out of an example.
 *
 * <p>Every output pixel is mapped back into the source image by one affine map (flip, 90
 * degree turns, free rotation, zoom about the crop centre). The image is sampled bilinearly,
 * targets by nearest neighbour. Output pixels that fall outside the source image get image
 * value 0 (the mean, or the low percentile, after normalisation) and target
 * {@link LabelImage#IGNORE}; this is also how images smaller than the crop are padded. Without free rotation and zoom the
 * map is integer-valued, so crops are exact copies (no resampling blur).
 */
public final class Augmenter {
  private final int size;
  private final Augmentation augmentation;
  private final Normalization normalization;
  /**
   * {@link Normalization#shiftAndScale} of each image cropped so far, computed at its first
   * crop (a per-image normalisation looks at the whole image, once, not at each crop).
   */
  private final Map<FloatImage, float[][]> shiftAndScale =
      Collections.synchronizedMap(new IdentityHashMap<>());

  public Augmenter(int size, Augmentation augmentation, Normalization normalization) {
    this.size = size;
    this.augmentation = augmentation;
    this.normalization = normalization;
  }

  public int size() { return size; }

  /**
   * Writes one crop of {@code example} into batch arrays: the image, CHW, at
   * {@code images[imageOffset...]}, target t at {@code targets[t][targetOffset...]}.
   *
   * @return where the whole image lies in the crop, {@code {x0, y0, x1, y1}} (inclusive crop
   *     pixels), when the crop holds all of it unresampled (flips and 90-degree turns only);
   *     null when part of the image is cut off or the crop was rotated freely or zoomed. Labels
   *     of the whole image (a size, a tag saying a class is present) hold for such a crop only.
   */
  public int[] sample(Example example, Random rng, float[] images, int imageOffset,
      int[][] targets, int targetOffset) {
    // m maps centred output offsets (du, dv) to source offsets (dx, dy).
    double m00 = 1, m01 = 0, m10 = 0, m11 = 1;
    if (augmentation.flips() && rng.nextBoolean()) {
      m00 = -1;
    }
    if (augmentation.rotate90()) {
      for (int k = rng.nextInt(4); k > 0; k--) { // (dx, dy) -> (-dy, dx)
        double a = -m10, b = -m11, c = m00, d = m01;
        m00 = a; m01 = b; m10 = c; m11 = d;
      }
    }
    boolean resample = augmentation.resamples();
    if (augmentation.maxRotationDegrees() > 0) {
      double t = Math.toRadians((2 * rng.nextDouble() - 1) * augmentation.maxRotationDegrees());
      double cos = Math.cos(t), sin = Math.sin(t);
      double a = cos * m00 - sin * m10, b = cos * m01 - sin * m11;
      double c = sin * m00 + cos * m10, d = sin * m01 + cos * m11;
      m00 = a; m01 = b; m10 = c; m11 = d;
    }
    if (augmentation.maxScale() != 1 || augmentation.minScale() != 1) {
      // Log-uniform zoom; zoom s shows a source region 1/s times the crop size.
      double lo = Math.log(augmentation.minScale()), hi = Math.log(augmentation.maxScale());
      double inv = 1 / Math.exp(lo + rng.nextDouble() * (hi - lo));
      m00 *= inv; m01 *= inv; m10 *= inv; m11 *= inv;
    }
    FloatImage image = example.image();
    int w = image.width(), h = image.height();
    double halfX = size / 2.0 * (Math.abs(m00) + Math.abs(m01));
    double halfY = size / 2.0 * (Math.abs(m10) + Math.abs(m11));
    double cx = randomStart(rng, w, 2 * halfX, resample) + halfX;
    double cy = randomStart(rng, h, 2 * halfY, resample) + halfY;
    write(example, m00, m01, m10, m11, cx, cy, images, imageOffset, targets, targetOffset);
    return resample ? null : frame(w, h, m00, m01, m10, m11, cx, cy);
  }

  /**
   * The crop pixels of the image's corner pixels under the integer map (its inverse is its
   * transpose), as {@code {x0, y0, x1, y1}}; null when a corner falls outside the crop.
   */
  private int[] frame(int w, int h, double m00, double m01, double m10, double m11, double cx,
      double cy) {
    int x0 = size, y0 = size, x1 = -1, y1 = -1;
    for (int corner = 0; corner < 4; corner++) {
      double dx = ((corner & 1) == 0 ? 0 : w - 1) + 0.5 - cx;
      double dy = ((corner & 2) == 0 ? 0 : h - 1) + 0.5 - cy;
      int u = (int) Math.floor(m00 * dx + m10 * dy + size / 2.0);
      int v = (int) Math.floor(m01 * dx + m11 * dy + size / 2.0);
      if (u < 0 || v < 0 || u >= size || v >= size) {
        return null;
      }
      x0 = Math.min(x0, u);
      y0 = Math.min(y0, v);
      x1 = Math.max(x1, u);
      y1 = Math.max(y1, v);
    }
    return new int[] {x0, y0, x1, y1};
  }

  /** Left edge of the source window: inside the image, or the image inside the window. */
  private static double randomStart(Random rng, int length, double extent, boolean resample) {
    double lo = Math.min(0, length - extent), hi = Math.max(0, length - extent);
    if (!resample) {
      return lo + rng.nextInt((int) Math.round(hi - lo) + 1);
    }
    return lo + rng.nextDouble() * (hi - lo);
  }

  private void write(Example example, double m00, double m01, double m10, double m11,
      double cx, double cy, float[] images, int imageOffset, int[][] targets, int targetOffset) {
    FloatImage image = example.image();
    int w = image.width(), h = image.height(), channels = image.channels();
    int plane = w * h, outPlane = size * size;
    float[] src = image.data();
    float[][] norm = shiftAndScale.computeIfAbsent(image, normalization::shiftAndScale);
    float[] shift = norm[0], scale = norm[1];
    LabelImage[] sourceTargets = example.targets();
    for (int v = 0; v < size; v++) {
      double dv = v + 0.5 - size / 2.0;
      for (int u = 0; u < size; u++) {
        double du = u + 0.5 - size / 2.0;
        // Pixel index coordinates: pixel i covers [i, i + 1), its centre is i + 0.5.
        double x = cx + m00 * du + m01 * dv - 0.5;
        double y = cy + m10 * du + m11 * dv - 0.5;
        int nx = (int) Math.floor(x + 0.5), ny = (int) Math.floor(y + 0.5);
        int out = v * size + u;
        boolean inside = nx >= 0 && ny >= 0 && nx < w && ny < h;
        for (int t = 0; t < targets.length; t++) {
          LabelImage target = t < sourceTargets.length ? sourceTargets[t] : null;
          targets[t][targetOffset + out] =
              inside && target != null ? target.get(nx, ny) : LabelImage.IGNORE;
        }
        if (!inside) {
          for (int c = 0; c < channels; c++) {
            images[imageOffset + c * outPlane + out] = 0f;
          }
          continue;
        }
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        float fx = (float) (x - x0), fy = (float) (y - y0);
        int xa = clamp(x0, w), xb = clamp(x0 + 1, w), ya = clamp(y0, h), yb = clamp(y0 + 1, h);
        for (int c = 0; c < channels; c++) {
          int base = c * plane;
          float value;
          if (fx == 0f && fy == 0f) {
            value = src[base + ya * w + xa];
          } else {
            float top = src[base + ya * w + xa] * (1 - fx) + src[base + ya * w + xb] * fx;
            float bottom = src[base + yb * w + xa] * (1 - fx) + src[base + yb * w + xb] * fx;
            value = top * (1 - fy) + bottom * fy;
          }
          images[imageOffset + c * outPlane + out] = (value - shift[c]) * scale[c];
        }
      }
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }
}
