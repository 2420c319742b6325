package org.lazyseg.core.weak;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_ximgproc.createGraphSegmentation;

import java.nio.ByteBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_ximgproc.GraphSegmentation;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Mats;

/**
 * Superpixel voting for image-level tags (docs/methods.md, Superpixel voting):
 * Felzenszwalb-Huttenlocher superpixels, then each superpixel takes the label most of the network's
 * predicted foreground in it has, provided that share reaches a threshold (0.2 in the paper).
 *
 * <pre>{@code
 * LabelImage sp = SuperpixelVoting.superpixels(image, SuperpixelVoting.DEFAULT_SCALE,
 *     SuperpixelVoting.DEFAULT_SIGMA, SuperpixelVoting.DEFAULT_MIN_SIZE);
 * LabelImage voted = SuperpixelVoting.vote(sp, predicted, SuperpixelVoting.DEFAULT_THRESHOLD);
 * }</pre>
 */
public final class SuperpixelVoting {
  /** The paper's scale (k): larger values give larger superpixels. */
  public static final double DEFAULT_SCALE = 100;
  /** Gaussian smoothing before segmentation, in pixels (OpenCV's default). */
  public static final double DEFAULT_SIGMA = 0.5;
  /** Smallest superpixel, in pixels; smaller components are merged into a neighbour. */
  public static final int DEFAULT_MIN_SIZE = 20;
  /** The paper's voting threshold: the share of a superpixel that must be predicted foreground. */
  public static final double DEFAULT_THRESHOLD = 0.2;

  private SuperpixelVoting() {}

  /**
   * Felzenszwalb-Huttenlocher superpixels (OpenCV ximgproc {@code GraphSegmentation}).
   *
   * <p>The image, with values in [0, 1] (clamped), is converted to 8 bits (round(255 v)), so
   * {@code scale} is on the 0..255 intensity scale, as in the paper and as scikit-image's
   * {@code felzenszwalb(scale=...)}, which divides its scale by 255 for [0, 1] images.
   *
   * @param image 1 channel (grey) or 3 channels (colour; the order does not matter, the
   *     segmentation uses the Euclidean colour difference)
   * @param scale k: the threshold function's constant; larger values give larger superpixels
   * @param sigma Gaussian smoothing applied before segmenting, in pixels
   * @param minSize superpixels smaller than this are merged into a neighbour (0: none)
   * @return one superpixel id per pixel; ids are 1..n with no gap, numbered in row-major order
   *     of their first pixel, so every pixel is covered and 0 never occurs
   */
  public static LabelImage superpixels(FloatImage image, double scale, double sigma, int minSize) {
    if (image.channels() != 1 && image.channels() != 3) {
      throw new IllegalArgumentException(
          "superpixels need a 1- or 3-channel image, got " + image.channels() + " channels");
    }
    if (!(scale > 0) || !(sigma >= 0) || minSize < 0) {
      throw new IllegalArgumentException(
          "need scale > 0, sigma >= 0, minSize >= 0: " + scale + ", " + sigma + ", " + minSize);
    }
    LabelImage raw;
    try (Mat src = toEightBit(image); Mat dst = new Mat();
        GraphSegmentation segmentation = createGraphSegmentation(sigma, (float) scale, minSize)) {
      segmentation.processImage(src, dst);
      raw = Mats.toLabels(dst);
    }
    return renumberConsecutively(raw);
  }

  /** Interleaved 8-bit Mat (CV_8UC1 or CV_8UC3) from our channel-planar floats. */
  static Mat toEightBit(FloatImage image) {
    int w = image.width(), h = image.height(), c = image.channels(), plane = w * h;
    float[] d = image.data();
    byte[] b = new byte[plane * c];
    for (int ch = 0; ch < c; ch++) {
      for (int p = 0; p < plane; p++) {
        float v = Math.min(1f, Math.max(0f, d[ch * plane + p]));   // NaN becomes 0
        b[p * c + ch] = (byte) Math.round(255f * v);
      }
    }
    if (c == 1) {
      return Mats.bytes(b, w, h);
    }
    Mat m = new Mat(h, w, CV_8UC3);
    ByteBuffer buf = m.createBuffer();
    buf.put(b);
    return m;
  }

  /** Ids 1..n in order of first appearance; any input ids. */
  private static LabelImage renumberConsecutively(LabelImage labels) {
    int[] d = labels.data();
    int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
    for (int v : d) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    int[] newId = new int[max - min + 1];
    int next = 0;
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      int k = d[i] - min;
      if (newId[k] == 0) {
        newId[k] = ++next;
      }
      out[i] = newId[k];
    }
    return new LabelImage(labels.width(), labels.height(), out);
  }

  /**
   * Votes predictions into superpixels. For each superpixel, with n its pixel count and n_c
   * the number of its pixels predicted as class c (c >= 1; 0 and IGNORE are background), the
   * winner is the class with the largest n_c (the smallest id among ties); every pixel of the
   * superpixel gets the winner when {@code n_c / n >= threshold}, and 0 otherwise. With one
   * foreground class this is exactly "foreground where at least {@code threshold} of its
   * pixels are predicted foreground". The comparison is exact for rational shares (3 of 15
   * pixels reaches 0.2; 19 of 100 does not).
   *
   * @param superpixels superpixel id per pixel, ids >= 0 (0 is an ordinary id here)
   * @param predicted predicted class per pixel; same size
   * @param threshold share in [0, 1]; 0 makes every superpixel take its majority class
   *     (background where nothing is predicted)
   * @return a new image with the voted class per pixel
   */
  public static LabelImage vote(LabelImage superpixels, LabelImage predicted, double threshold) {
    int w = superpixels.width(), h = superpixels.height();
    if (!predicted.sameSize(w, h)) {
      throw new IllegalArgumentException(
          "predicted " + predicted + " does not match superpixels " + superpixels);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must lie in [0, 1]: " + threshold);
    }
    int[] sp = superpixels.data();
    int[] cls = predicted.data();
    int numSuperpixels = 0;
    for (int v : sp) {
      if (v < 0) {
        throw new IllegalArgumentException("negative superpixel id " + v);
      }
      numSuperpixels = Math.max(numSuperpixels, v + 1);
    }
    int numClasses = Math.max(0, predicted.max());
    int[] pixels = new int[numSuperpixels];
    // counts[s * numClasses + (c - 1)]: pixels of superpixel s predicted as class c.
    int[] counts = new int[Math.multiplyExact(numSuperpixels, Math.max(1, numClasses))];
    for (int i = 0; i < sp.length; i++) {
      pixels[sp[i]]++;
      if (cls[i] > 0) {
        counts[sp[i] * numClasses + cls[i] - 1]++;
      }
    }
    int[] winner = new int[numSuperpixels];
    for (int s = 0; s < numSuperpixels; s++) {
      int best = 0, bestCount = 0;
      for (int c = 1; c <= numClasses; c++) {
        int k = counts[s * numClasses + c - 1];
        if (k > bestCount) {
          best = c;
          bestCount = k;
        }
      }
      // Division is correctly rounded, so an exact share of, e.g., 1/5 gives the same double
      // as the literal 0.2; distinct shares with n < 2^31 differ far more than one ulp.
      winner[s] = pixels[s] > 0 && best > 0 && (double) bestCount / pixels[s] >= threshold
          ? best : 0;
    }
    int[] out = new int[sp.length];
    for (int i = 0; i < sp.length; i++) {
      out[i] = winner[sp[i]];
    }
    return new LabelImage(w, h, out);
  }
}
