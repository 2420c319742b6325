package org.lazyseg.core.weak;

import java.util.Arrays;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;

/**
 * Object size g (docs/methods.md, The size g) and, for the size-loss gradient estimate, g of the
 * mask with each single pixel flipped. Foreground is every positive label; 0 and
 * {@link LabelImage#IGNORE} are background.
 *
 * <p>Notation: V pixels, D the Chebyshev distance transform (D = 0 on background; pixels
 * outside the image count as background), M = max D, so g = 2M. Two facts carry everything:
 * <ul>
 *   <li>{@code D_i >= t} (t >= 1) exactly when the square of radius t - 1 centred on i (side
 *       2t - 1) lies inside the image and holds no background pixel.
 *   <li>The Chebyshev distance from a pixel j to the farthest pixel of a set S is
 *       {@code max(maxX(S) - x_j, x_j - minX(S), maxY(S) - y_j, y_j - minY(S))}: it only needs
 *       the bounding box of S.
 * </ul>
 */
public final class ObjectSize {
  private ObjectSize() {}

  /**
   * The size g = 2 * max_i d_i, delegating to the project convention
   * {@link LazyLabels#size(LabelImage)}: a lone 5 x 5 square has g = 6, an empty mask 0.
   */
  public static int size(LabelImage mask) {
    return LazyLabels.size(mask);
  }

  /**
   * For every pixel i (row-major, like {@link LabelImage#data()}), exactly
   * {@code size(mask with pixel i flipped)}: a foreground pixel turned to background, a
   * background pixel (0 or IGNORE) turned to foreground. Equal, pixel for pixel, to flipping
   * and calling {@link #size} V times, but computed from one distance transform.
   *
   * <p><b>Foreground to background at j.</b> One new background pixel gives
   * {@code D'_i = min(D_i, |i - j|_inf)}, so the new maximum is the largest t with some i,
   * {@code D_i >= t} and {@code |i - j|_inf >= t}, i.e. the largest t with
   * {@code far_t(j) >= t}, where far_t(j) is the distance from j to the farthest pixel of the
   * level set {@code S_t = {D >= t}}. far_t needs only the bounding box of S_t (boxes of all
   * level sets come from one pass, nested from t = M down). far_t(j) falls as t rises, so the
   * answer is found by binary search over t in [0, M]; one test at t = M ends it for every j
   * at distance >= M from some pixel of depth M, which is most pixels (g unchanged).
   *
   * <p><b>Background to foreground at j.</b> Distances can only grow, so the new maximum is
   * above M exactly when some square of radius r >= M inside the image contains j as its only
   * background pixel, and then it is at least r + 1. Summed-area tables of the background count
   * and of the background pixel indices give, per square, the count and (when the count is 1)
   * which pixel it is, in O(1). Level r = M scans every centre; a centre survives to r + 1
   * only if its square of radius r had count 1 (a larger square holds everything the smaller
   * one does, and for r >= M a count of 0 is impossible), so later levels visit only
   * survivors. Flips found in no such square leave g = 2M.
   *
   * <p>Cost: O(V) for the transform, the boxes and the tables, plus O(log M) per foreground
   * pixel near the deepest pixels, plus one O(1) test per (surviving centre, level) pair for the
   * background flips. That last term is O(V) unless one background pixel is the only hole in
   * many large squares (worst case O(V * min(width, height)), e.g. a single hole in a full
   * image). Memory O(V).
   *
   * @return a new array of length width x height; entry i is g after flipping pixel i
   */
  public static int[] sizesAfterSingleFlips(LabelImage mask) {
    return flips(mask).sizesAfterFlip();
  }

  /**
   * The size of a mask and the sizes after each single flip, from one distance transform.
   *
   * @param size g of the mask, as {@link #size}
   * @param sizesAfterFlip entry i is g with pixel i flipped, as {@link #sizesAfterSingleFlips}
   */
  public record Flips(int size, int[] sizesAfterFlip) {}

  /** {@link #size} and {@link #sizesAfterSingleFlips} together, for the cost of the latter. */
  public static Flips flips(LabelImage mask) {
    int w = mask.width(), h = mask.height(), n = w * h;
    int[] depth = chebyshevDepth(mask);
    int maxDepth = 0;
    for (int d : depth) {
      maxDepth = Math.max(maxDepth, d);
    }
    int[] out = new int[n];
    foregroundFlips(depth, w, h, maxDepth, out);
    backgroundFlips(mask, depth, w, h, maxDepth, out);
    return new Flips(2 * maxDepth, out);
  }

  /** Integer Chebyshev depth per pixel: 0 on background, image border counts as background. */
  static int[] chebyshevDepth(LabelImage mask) {
    float[] d = DistanceTransforms.chebyshev(mask, Border.OUTSIDE);
    int[] depth = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      depth[i] = Math.round(d[i]);
    }
    return depth;
  }

  private static void foregroundFlips(int[] depth, int w, int h, int maxDepth, int[] out) {
    if (maxDepth == 0) {
      return;
    }
    // Bounding boxes of the level sets S_t = {depth >= t}, t = 1..maxDepth: first of
    // {depth == t}, then unioned from the top so box t covers every deeper pixel too.
    int[] minX = new int[maxDepth + 2], maxX = new int[maxDepth + 2];
    int[] minY = new int[maxDepth + 2], maxY = new int[maxDepth + 2];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(maxX, Integer.MIN_VALUE);
    Arrays.fill(maxY, Integer.MIN_VALUE);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int t = depth[y * w + x];
        if (t > 0) {
          minX[t] = Math.min(minX[t], x);
          maxX[t] = Math.max(maxX[t], x);
          minY[t] = Math.min(minY[t], y);
          maxY[t] = Math.max(maxY[t], y);
        }
      }
    }
    for (int t = maxDepth - 1; t >= 1; t--) {
      minX[t] = Math.min(minX[t], minX[t + 1]);
      maxX[t] = Math.max(maxX[t], maxX[t + 1]);
      minY[t] = Math.min(minY[t], minY[t + 1]);
      maxY[t] = Math.max(maxY[t], maxY[t + 1]);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (depth[i] == 0) {
          continue;
        }
        // Largest t in [0, maxDepth] with far_t >= t; t = 0 always qualifies. Most pixels
        // pass at t = maxDepth (some deepest pixel is far enough away): g unchanged.
        int farAtMax = Math.max(Math.max(maxX[maxDepth] - x, x - minX[maxDepth]),
            Math.max(maxY[maxDepth] - y, y - minY[maxDepth]));
        if (farAtMax >= maxDepth) {
          out[i] = 2 * maxDepth;
          continue;
        }
        int lo = 0, hi = maxDepth - 1;
        while (lo < hi) {
          int t = (lo + hi + 1) >>> 1;
          int far = Math.max(Math.max(maxX[t] - x, x - minX[t]), Math.max(maxY[t] - y, y - minY[t]));
          if (far >= t) {
            lo = t;
          } else {
            hi = t - 1;
          }
        }
        out[i] = 2 * lo;
      }
    }
  }

  private static void backgroundFlips(LabelImage mask, int[] depth, int w, int h, int maxDepth,
      int[] out) {
    int n = w * h;
    int stride = w + 1;
    // Summed-area tables over background pixels: how many, and the sum of their indices (the
    // index itself where the count is 1).
    int[] count = new int[stride * (h + 1)];
    long[] indexSum = new long[stride * (h + 1)];
    boolean anyBackground = false;
    for (int y = 0; y < h; y++) {
      int rowCount = 0;
      long rowSum = 0;
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (depth[i] == 0) {
          rowCount++;
          rowSum += i;
          anyBackground = true;
        }
        int s = (y + 1) * stride + x + 1;
        count[s] = count[s - stride] + rowCount;
        indexSum[s] = indexSum[s - stride] + rowSum;
      }
    }
    if (!anyBackground) {
      return;
    }
    int[] newDepth = new int[n];   // 0: g unchanged by this flip
    int[] centres = new int[n];
    int survivors = 0;
    for (int i = 0; i < n; i++) {
      centres[survivors++] = i;
    }
    for (int r = maxDepth; survivors > 0; r++) {
      int kept = 0;
      for (int k = 0; k < survivors; k++) {
        int c = centres[k];
        int x = c % w, y = c / w;
        if (x - r < 0 || y - r < 0 || x + r >= w || y + r >= h) {
          continue;
        }
        int x0 = x - r, y0 = y - r, x1 = x + r + 1, y1 = y + r + 1;
        int holes = count[y1 * stride + x1] - count[y0 * stride + x1]
            - count[y1 * stride + x0] + count[y0 * stride + x0];
        if (holes != 1) {
          continue;
        }
        int j = (int) (indexSum[y1 * stride + x1] - indexSum[y0 * stride + x1]
            - indexSum[y1 * stride + x0] + indexSum[y0 * stride + x0]);
        newDepth[j] = Math.max(newDepth[j], r + 1);
        centres[kept++] = c;
      }
      survivors = kept;
    }
    for (int i = 0; i < n; i++) {
      if (depth[i] == 0) {
        out[i] = 2 * Math.max(maxDepth, newDepth[i]);
      }
    }
  }
}
