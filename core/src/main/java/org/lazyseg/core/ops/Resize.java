package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST_EXACT;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

/**
 * Resampling with OpenCV: pixel-area averaging when shrinking (no aliasing), bilinear when
 * enlarging. Each returns a new image.
 */
public final class Resize {
  private Resize() {}

  /** Every channel resized to width x height. */
  public static FloatImage image(FloatImage image, int width, int height) {
    FloatImage out = new FloatImage(width, height, image.channels());
    int plane = image.width() * image.height();
    float[] channel = new float[plane];
    for (int c = 0; c < image.channels(); c++) {
      System.arraycopy(image.data(), c * plane, channel, 0, plane);
      float[] r = plane(channel, image.width(), image.height(), width, height);
      System.arraycopy(r, 0, out.data(), c * width * height, r.length);
    }
    return out;
  }

  /** A row-major plane of floats (e.g. a probability map) resized to width x height. */
  public static float[] plane(float[] data, int fromWidth, int fromHeight, int width,
      int height) {
    if (data.length != fromWidth * fromHeight) {
      throw new IllegalArgumentException("plane has " + data.length + " values, not "
          + fromWidth + " x " + fromHeight);
    }
    if (fromWidth == width && fromHeight == height) {
      return data.clone();
    }
    boolean shrink = (long) width * height < (long) fromWidth * fromHeight;
    try (Mat src = new Mat(fromHeight, fromWidth, CV_32FC1);
        Mat dst = new Mat();
        Size size = new Size(width, height)) {
      FloatBuffer buf = src.createBuffer();
      buf.put(data);
      org.bytedeco.opencv.global.opencv_imgproc.resize(src, dst, size, 0, 0,
          shrink ? INTER_AREA : INTER_LINEAR);
      return Mats.toFloats(dst);
    }
  }

  /**
   * The foreground (positive labels) resized to width x height as 0/1: a pixel is foreground
   * where at least half of the area it covers was, so boundaries move by under a pixel.
   */
  public static LabelImage foreground(LabelImage labels, int width, int height) {
    return covered(labels, width, height, 0.5f);
  }

  /**
   * Label ids (classes or instances) resized to width x height, each pixel taking the id at its
   * centre's source position (OpenCV's exact nearest neighbour: no half-pixel shift, no new
   * ids). An object narrower than the scale step can vanish.
   */
  public static LabelImage labels(LabelImage labels, int width, int height) {
    if (labels.width() == width && labels.height() == height) {
      return new LabelImage(width, height, labels.data().clone());
    }
    try (Mat src = new Mat(labels.height(), labels.width(), CV_32SC1);
        Mat dst = new Mat();
        Size size = new Size(width, height)) {
      IntBuffer in = src.createBuffer();
      in.put(labels.data());
      org.bytedeco.opencv.global.opencv_imgproc.resize(src, dst, size, 0, 0,
          INTER_NEAREST_EXACT);
      int[] out = new int[width * height];
      ((IntBuffer) dst.createBuffer()).get(out);
      return new LabelImage(width, height, out);
    }
  }

  /**
   * Thin marks (e.g. separation scribbles, one pixel wide) resized to width x height as 0/1: a
   * pixel is marked where any of the area it covers was, so that shrinking keeps every line.
   */
  public static LabelImage marks(LabelImage labels, int width, int height) {
    return covered(labels, width, height, 1e-6f);
  }

  /** 0/1: whether at least {@code share} of the area a pixel covers was positive. */
  private static LabelImage covered(LabelImage labels, int width, int height, float share) {
    int[] d = labels.data();
    float[] on = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      on[i] = d[i] > 0 ? 1f : 0f;
    }
    float[] r = plane(on, labels.width(), labels.height(), width, height);
    int[] out = new int[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = r[i] >= share ? 1 : 0;
    }
    return new LabelImage(width, height, out);
  }
}
