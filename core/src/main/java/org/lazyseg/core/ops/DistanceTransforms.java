package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_C;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_L2;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_MASK_3;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_MASK_PRECISE;
import static org.bytedeco.opencv.global.opencv_imgproc.distanceTransform;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.lazyseg.core.image.LabelImage;

/**
 * Distance transforms (OpenCV): for every pixel of a region, the distance to the nearest
 * pixel outside it; 0 outside the region. Exact Euclidean (Felzenszwalb-Huttenlocher in
 * OpenCV's DIST_MASK_PRECISE) and Chebyshev (L-infinity, exact with a 3x3 mask).
 */
public final class DistanceTransforms {
  private DistanceTransforms() {}

  /** Whether pixels beyond the image border count as outside the region. */
  public enum Border {
    /** Only pixels inside the image that are not in the region count as outside. */
    INSIDE_ONLY,
    /** The image is surrounded by outside pixels. */
    OUTSIDE
  }

  /** Exact Euclidean distance from each region pixel ({@code region > 0}) to the nearest non-region pixel. */
  public static float[] euclidean(LabelImage region, Border border) {
    return transform(region, border, DIST_L2, DIST_MASK_PRECISE);
  }

  /** Chebyshev (L-infinity) distance from each region pixel to the nearest non-region pixel. */
  public static float[] chebyshev(LabelImage region, Border border) {
    return transform(region, border, DIST_C, DIST_MASK_3);
  }

  /**
   * Euclidean distance from every pixel to the nearest pixel of {@code target} (> 0); 0 on
   * the target. With an empty target every distance is {@code Float.POSITIVE_INFINITY}.
   */
  public static float[] euclideanTo(LabelImage target) {
    int[] d = target.data();
    boolean any = false;
    LabelImage complement = new LabelImage(target.width(), target.height());
    int[] c = complement.data();
    for (int i = 0; i < d.length; i++) {
      c[i] = d[i] > 0 ? 0 : 1;
      any |= d[i] > 0;
    }
    if (!any) {
      float[] inf = new float[d.length];
      java.util.Arrays.fill(inf, Float.POSITIVE_INFINITY);
      return inf;
    }
    return euclidean(complement, Border.INSIDE_ONLY);
  }

  private static float[] transform(LabelImage region, Border border, int type, int mask) {
    try (Mat bin = Mats.foregroundMask(region)) {
      if (border == Border.OUTSIDE) {
        try (Mat padded = new Mat(); Mat dist = new Mat(); Scalar zero = new Scalar(0.0)) {
          copyMakeBorder(bin, padded, 1, 1, 1, 1, BORDER_CONSTANT, zero);
          distanceTransform(padded, dist, type, mask);
          try (Rect inner = new Rect(1, 1, region.width(), region.height());
              Mat roi = new Mat(dist, inner);
              Mat copy = roi.clone()) {
            return Mats.toFloats(copy);
          }
        }
      }
      if (isFull(region)) {
        // OpenCV leaves huge values where no zero pixel exists; with no outside pixel at all
        // every distance is infinite.
        float[] inf = new float[region.width() * region.height()];
        java.util.Arrays.fill(inf, Float.POSITIVE_INFINITY);
        return inf;
      }
      try (Mat dist = new Mat()) {
        distanceTransform(bin, dist, type, mask);
        return Mats.toFloats(dist);
      }
    }
  }

  private static boolean isFull(LabelImage region) {
    for (int v : region.data()) {
      if (v <= 0) {
        return false;
      }
    }
    return true;
  }
}
