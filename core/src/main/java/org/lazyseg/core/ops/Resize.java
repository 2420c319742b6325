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

  /**
   * {width, height} times {@code factor}, each rounded and at least 1: the size every image
   * and label of a scaled copy gets ({@code LabeledImage#scaled}, a model's working scale).
   */
  public static int[] scaledSize(int width, int height, double factor) {
    return new int[] {Math.max(1, (int) Math.round(width * factor)),
        Math.max(1, (int) Math.round(height * factor))};
  }

  /** The image resized to {@link #scaledSize} of {@code factor}; a factor of 1 returns it. */
  public static FloatImage scaled(FloatImage image, double factor) {
    if (factor == 1) {
      return image;
    }
    int[] wh = scaledSize(image.width(), image.height(), factor);
    return image(image, wh[0], wh[1]);
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

  /**
   * Class and instance ids enlarged to width x height by a bilinear majority: each pixel
   * takes the class with the largest bilinear weight among its four source neighbours
   * (background included), then, among those neighbours of that class, the instance id with
   * the largest weight. A boundary thus follows where a bilinearly enlarged 0/1 map of each
   * object crosses 1/2, without OpenCV's one pass per object; ids never mix. Ties go to the
   * neighbour met first (top left, top right, bottom left, bottom right).
   *
   * @param instances may be null (then only classes are enlarged)
   * @return {classes, instances}, instances null when none were given
   */
  public static LabelImage[] enlargeLabels(LabelImage classes, LabelImage instances,
      int width, int height) {
    int sw = classes.width(), sh = classes.height();
    if (instances != null && !instances.sameSize(sw, sh)) {
      throw new IllegalArgumentException("instances " + instances.width() + "x"
          + instances.height() + " differ from classes " + sw + "x" + sh);
    }
    int[] c = classes.data(), ids = instances == null ? null : instances.data();
    int[] outC = new int[width * height], outI = ids == null ? null : new int[width * height];
    int[] x0 = new int[width], x1 = new int[width];
    float[] ax = new float[width];
    axis(sw, width, x0, x1, ax);
    int[] y0 = new int[height], y1 = new int[height];
    float[] ay = new float[height];
    axis(sh, height, y0, y1, ay);
    int[] at = new int[4];
    float[] weight = new float[4];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        at[0] = y0[y] * sw + x0[x];
        at[1] = y0[y] * sw + x1[x];
        at[2] = y1[y] * sw + x0[x];
        at[3] = y1[y] * sw + x1[x];
        weight[0] = (1 - ax[x]) * (1 - ay[y]);
        weight[1] = ax[x] * (1 - ay[y]);
        weight[2] = (1 - ax[x]) * ay[y];
        weight[3] = ax[x] * ay[y];
        int cls = majority(c, null, 0, at, weight);
        int i = y * width + x;
        outC[i] = cls;
        if (outI != null) {
          outI[i] = cls <= 0 ? 0 : Math.max(0, majority(ids, c, cls, at, weight));
        }
      }
    }
    return new LabelImage[] {new LabelImage(width, height, outC),
        outI == null ? null : new LabelImage(width, height, outI)};
  }

  /** Source neighbours and weight of each target column (or row), half-pixel centres. */
  private static void axis(int from, int to, int[] lo, int[] hi, float[] a) {
    double step = (double) from / to;
    for (int t = 0; t < to; t++) {
      double s = Math.min(Math.max((t + 0.5) * step - 0.5, 0), from - 1);
      lo[t] = (int) Math.floor(s);
      hi[t] = Math.min(lo[t] + 1, from - 1);
      a[t] = (float) (s - lo[t]);
    }
  }

  /**
   * The value of {@code values} with the largest summed weight among the four neighbours
   * {@code at}, counting only those whose {@code within} equals {@code inside} when within is
   * not null.
   */
  private static int majority(int[] values, int[] within, int inside, int[] at,
      float[] weight) {
    int best = 0;
    float bestWeight = -1;
    for (int k = 0; k < 4; k++) {
      if (within != null && within[at[k]] != inside) {
        continue;
      }
      int v = values[at[k]];
      float sum = 0;
      for (int j = 0; j < 4; j++) {
        if (values[at[j]] == v && (within == null || within[at[j]] == inside)) {
          sum += weight[j];
        }
      }
      if (sum > bestWeight) {
        best = v;
        bestWeight = sum;
      }
    }
    return best;
  }
}
