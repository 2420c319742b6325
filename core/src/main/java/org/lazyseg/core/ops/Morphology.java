package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CROSS;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Size;
import org.lazyseg.core.image.LabelImage;

/**
 * Binary erosion and dilation of the positive pixels of a label image (OpenCV). The
 * neighbourhood of radius r is a (2r + 1)-square for {@link Connectivity#EIGHT} and a cross
 * of arm r applied r times (a diamond) for {@link Connectivity#FOUR}. Pixels beyond the border
 * count as neither: erosion does not eat in from the image border.
 */
public final class Morphology {
  private Morphology() {}

  /** 0/1 image: pixels whose whole neighbourhood of radius r is positive. */
  public static LabelImage erode(LabelImage mask, int radius, Connectivity connectivity) {
    return apply(mask, radius, connectivity, false);
  }

  /** 0/1 image: pixels with a positive pixel within the neighbourhood of radius r. */
  public static LabelImage dilate(LabelImage mask, int radius, Connectivity connectivity) {
    return apply(mask, radius, connectivity, true);
  }

  private static LabelImage apply(LabelImage mask, int radius, Connectivity connectivity,
      boolean grow) {
    if (radius < 0) {
      throw new IllegalArgumentException("radius must be >= 0: " + radius);
    }
    boolean square = connectivity == Connectivity.EIGHT;
    int size = square ? 2 * radius + 1 : 3;
    int iterations = square ? 1 : radius;
    try (Mat bin = Mats.foregroundMask(mask);
        Mat out = new Mat();
        Size k = new Size(size, size);
        Point anchor = new Point(-1, -1);
        Mat element = getStructuringElement(square ? MORPH_RECT : MORPH_CROSS, k)) {
      if (radius == 0) {
        bin.copyTo(out);
      } else if (grow) {
        org.bytedeco.opencv.global.opencv_imgproc.dilate(bin, out, element, anchor, iterations, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT,
            org.bytedeco.opencv.opencv_core.Scalar.all(0));
      } else {
        org.bytedeco.opencv.global.opencv_imgproc.erode(bin, out, element, anchor, iterations, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT,
            org.bytedeco.opencv.opencv_core.Scalar.all(255));
      }
      byte[] b = Mats.toBytes(out);
      int[] d = new int[b.length];
      for (int i = 0; i < b.length; i++) {
        d[i] = b[i] != 0 ? 1 : 0;
      }
      return new LabelImage(mask.width(), mask.height(), d);
    }
  }
}
