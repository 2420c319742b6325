package org.lazyseg.core.weak;

import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;

import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;
import org.lazyseg.core.ops.Mats;
import org.lazyseg.core.synth.NoiseFields;

/**
 * The lazy-label simulator (docs/methods.md, Simulated lazy labels): turns full ground truth into
 * the cheap labels the methods learn from. Pure functions; the random ones take their randomness as
 * an argument, so a seed fixes the result.
 */
public final class LazyLabels {
  /** Inner-core threshold: a fraction u ~ U(U_MIN, U_MAX) of the instance's maximum distance. */
  public static final double U_MIN = 0.3;
  public static final double U_MAX = 0.7;
  /** Strength of the threshold's smooth perturbation, as a fraction of the maximum distance. */
  public static final double PERTURBATION = 0.15;
  /** Feature size (pixels) of the perturbation field: smooth at the scale of an object's core. */
  public static final double PERTURBATION_SMOOTHNESS = 4.0;

  private LazyLabels() {}

  /**
   * A partial mask: for each instance, a random inner core carrying the instance's class,
   * 0 ("rest") elsewhere.
   *
   * <p>Per instance, with d the Euclidean distance of a pixel to the nearest pixel outside the
   * instance (other instances, background, and the image border all count as outside) and D
   * its maximum, the core is {@code d > (u + 0.15 z) D}, with u ~ U(0.3, 0.7) drawn per
   * instance and z a smooth zero-mean unit-deviation noise field over the image, so cores are
   * not shrunken copies of the outline. Where that leaves nothing, the instance keeps its
   * deepest pixels ({@code d >= D - 0.5}): no object disappears. The core need not be one
   * connected region.
   *
   * @param classes class per pixel; nullable: then every instance is class 1. An instance
   *     pixel whose class is 0 takes class 1.
   */
  public static LabelImage partialMask(LabelImage instances, LabelImage classes, Random rnd) {
    int w = instances.width(), h = instances.height();
    if (classes != null && !classes.sameSize(w, h)) {
      throw new IllegalArgumentException("classes " + classes + " do not match instances " + instances);
    }
    int[] ids = instances.data();
    int maxId = Math.max(0, instances.max());
    int[][] boxes = boundingBoxes(ids, w, h, maxId);
    float[] perturbation = NoiseFields.smooth(w, h, PERTURBATION_SMOOTHNESS, rnd);
    LabelImage out = new LabelImage(w, h);
    for (int id = 1; id <= maxId; id++) {
      int[] box = boxes[id];
      if (box == null) {
        continue;
      }
      // Distances on the bounding box plus a 1-pixel margin: every instance is surrounded by
      // outside pixels, and the cost is the box's area, not the image's.
      int bx = box[0] - 1, by = box[1] - 1, bw = box[2] - box[0] + 3, bh = box[3] - box[1] + 3;
      LabelImage crop = instances.crop(bx, by, bw, bh, 0);
      int[] c = crop.data();
      for (int i = 0; i < c.length; i++) {
        c[i] = c[i] == id ? 1 : 0;
      }
      float[] d = DistanceTransforms.euclidean(crop, Border.INSIDE_ONLY);
      float maxD = 0;
      for (float v : d) {
        maxD = Math.max(maxD, v);
      }
      double u = U_MIN + (U_MAX - U_MIN) * rnd.nextDouble();
      boolean any = markCore(out, classes, crop, d, bx, by, perturbation, u, maxD, false);
      if (!any) {
        markCore(out, classes, crop, d, bx, by, perturbation, u, maxD, true);
      }
    }
    return out;
  }

  private static boolean markCore(LabelImage out, LabelImage classes, LabelImage crop, float[] d,
      int bx, int by, float[] perturbation, double u, float maxD, boolean deepestOnly) {
    int w = out.width(), bw = crop.width(), bh = crop.height();
    int[] c = crop.data();
    boolean any = false;
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int i = y * bw + x;
        if (c[i] == 0) {
          continue;
        }
        int p = (by + y) * w + (bx + x);
        boolean keep = deepestOnly ? d[i] >= maxD - 0.5f
            : d[i] > (u + PERTURBATION * perturbation[p]) * maxD;
        if (keep) {
          int cls = classes == null ? 1 : classes.data()[p];
          out.data()[p] = cls > 0 ? cls : 1;
          any = true;
        }
      }
    }
    return any;
  }

  /** Per id: {xmin, ymin, xmax, ymax} inclusive, or null for an absent id. */
  private static int[][] boundingBoxes(int[] ids, int w, int h, int maxId) {
    int[][] boxes = new int[maxId + 1][];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int id = ids[y * w + x];
        if (id <= 0) {
          continue;
        }
        int[] b = boxes[id];
        if (b == null) {
          boxes[id] = new int[] {x, y, x, y};
        } else {
          b[0] = Math.min(b[0], x);
          b[1] = Math.min(b[1], y);
          b[2] = Math.max(b[2], x);
          b[3] = Math.max(b[3], y);
        }
      }
    }
    return boxes;
  }

  /**
   * Separation scribbles (0/1): the pixels where two different instances touch. With
   * {@code thickness} 1, every instance pixel with a 4-neighbour in another instance (so the
   * interface is 2 pixels wide, one on each side); thicker scribbles grow that by
   * {@code thickness - 1} pixels in each direction (square dilation), kept inside instances.
   * Where an instance meets background there is no scribble.
   */
  public static LabelImage scribbles(LabelImage instances, int thickness) {
    if (thickness < 1) {
      throw new IllegalArgumentException("thickness must be at least 1: " + thickness);
    }
    int w = instances.width(), h = instances.height();
    int[] ids = instances.data();
    LabelImage out = new LabelImage(w, h);
    int[] s = out.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int a = ids[p];
        if (a <= 0) {
          continue;
        }
        if ((x > 0 && touches(a, ids[p - 1])) || (x < w - 1 && touches(a, ids[p + 1]))
            || (y > 0 && touches(a, ids[p - w])) || (y < h - 1 && touches(a, ids[p + w]))) {
          s[p] = 1;
        }
      }
    }
    return thickness == 1 ? out : thicken(out, instances, thickness - 1);
  }

  private static boolean touches(int a, int b) {
    return b > 0 && b != a;
  }

  /** Dilates by {@code radius} pixels (OpenCV), then drops what spilled onto background. */
  private static LabelImage thicken(LabelImage scribbles, LabelImage instances, int radius) {
    int w = scribbles.width(), h = scribbles.height();
    byte[] grown;
    try (Mat src = Mats.foregroundMask(scribbles); Mat dst = new Mat();
        Size size = new Size(2 * radius + 1, 2 * radius + 1);
        Mat kernel = getStructuringElement(MORPH_RECT, size)) {
      dilate(src, dst, kernel);
      grown = Mats.toBytes(dst);
    }
    int[] ids = instances.data();
    int[] out = new int[w * h];
    for (int p = 0; p < out.length; p++) {
      out[p] = grown[p] != 0 && ids[p] > 0 ? 1 : 0;
    }
    return new LabelImage(w, h, out);
  }

  /**
   * Object size (docs/methods.md, The size g): {@code g = 2 * max_i d_i}, with d_i the Chebyshev
   * (L-infinity) distance from foreground pixel i to the nearest background pixel, where
   * pixels outside the image count as background. A pixel next to background has d = 1; a
   * w x w square (w odd) alone has centre d = (w + 1) / 2, so g = w + 1 (5 x 5: d = 3,
   * g = 6). An empty mask has size 0. Foreground is every positive label.
   */
  public static int size(LabelImage mask) {
    float[] d = DistanceTransforms.chebyshev(mask, Border.OUTSIDE);
    float max = 0;
    for (float v : d) {
      max = Math.max(max, v);
    }
    return 2 * Math.round(max);
  }

  /**
   * Image tags: {@code present[k]} tells whether any pixel has class k, for k = 0 (background)
   * up to {@code numClasses} (the number of foreground classes); index by class id.
   */
  public static boolean[] tags(LabelImage classes, int numClasses) {
    boolean[] present = new boolean[numClasses + 1];
    for (int v : classes.data()) {
      if (v < 0 || v > numClasses) {
        if (v == LabelImage.IGNORE) {
          continue;
        }
        throw new IllegalArgumentException("class " + v + " outside 0.." + numClasses);
      }
      present[v] = true;
    }
    return present;
  }

  /**
   * The training ids that keep their strong masks: {@code round(fraction * n)} of the n ids,
   * at least one when {@code fraction > 0}, chosen by {@code seed} independently of the
   * order of {@code trainIds}. Returned in the order of {@code trainIds}.
   */
  public static List<String> strongSubset(List<String> trainIds, double fraction, long seed) {
    return org.lazyseg.core.data.TrainingSet.seededSubset(trainIds, fraction, seed);
  }

}
