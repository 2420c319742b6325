package org.lazyseg.core.weak;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_FGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_INIT_WITH_MASK;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_FGD;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.Mats;

/**
 * Pseudo labels of the "PL" baseline (SPEC section 2): each partial region is grown into a
 * full object by OpenCV GrabCut, and a single-task network then trains on the result.
 *
 * <p>Per region (8-connected component of the partial mask, or one id of a given region
 * image) GrabCut runs on a crop around a box: the region itself is definite foreground
 * (GC_FGD), the rest of its box probable foreground (GC_PR_FGD), other regions' boxes probable background (GC_PR_BGD: they may hold
 * another object, which must not teach this one's background model that it is certain), and
 * every pixel outside all boxes definite background (GC_BGD). GrabCut never changes the
 * definite labels, so the region is always in the result and pixels outside every box never
 * are. Regions whose results overlap give each contested pixel to the region whose seed is
 * nearer (Euclidean; the earlier region on a tie).
 *
 * <p>The box must hold the whole object: the part of an object the box cuts off is marked
 * definite background, and it teaches GrabCut that the object's colour is background. Cost
 * grows with the crop's area (box plus a thin context ring), so large boxes are slow.
 */
public final class PseudoLabels {
  /**
   * Box margin on each side as a fraction of the region's width (height): 1.0 makes the box
   * three times the region's size. A LazyLabels core spans 0.3 to 0.7 of an object's depth, so
   * the object is 1.4 to 3.3 times its core; the paper asks for a "generous" box.
   */
  public static final double DEFAULT_BOX_MARGIN = 1.0;
  /** GrabCut iterations (OpenCV's examples use 1 to 5; results change little after 5). */
  public static final int DEFAULT_ITERATIONS = 5;
  /** GrabCut fits 5-component colour mixtures; k-means needs at least that many samples. */
  private static final int MIN_SAMPLES = 5;
  /** Least width (pixels) of the context ring around a box. */
  private static final int CONTEXT = 8;

  /** A class-id label and an instance label (each grown region carries its region's id). */
  public record Result(LabelImage classes, LabelImage instances) {}

  private PseudoLabels() {}

  /** {@link #grabCut(FloatImage, LabelImage, double, int)} with the defaults. */
  public static Result grabCut(FloatImage image, LabelImage partial) {
    return grabCut(image, partial, DEFAULT_BOX_MARGIN, DEFAULT_ITERATIONS);
  }

  /**
   * Runs GrabCut from every partial region (see the class comment).
   *
   * @param image 1 channel (replicated to three, as GrabCut needs colour) or 3 channels, values
   *     in [0, 1]; further channels are ignored
   * @param partial 0 = rest, positive = annotated (class id, or any positive value); a region
   *     takes its most frequent value as class, while its own pixels keep theirs
   * @param boxMargin the box around a region reaches this fraction of the region's width
   *     (height) beyond it on each side, at least one pixel
   * @param iterations GrabCut iterations, at least 1
   */
  public static Result grabCut(FloatImage image, LabelImage partial, double boxMargin,
      int iterations) {
    requireSize(partial, image, "partial");
    return grabCutRegions(image, Components.label(partial, Connectivity.EIGHT), partial,
        boxMargin, iterations);
  }

  /**
   * Runs GrabCut from regions given as ids instead of the partial mask's components: every
   * pixel with id r &gt; 0 is definite foreground of region r, which need not be connected.
   * Use it when the partial mask holds instance ids (datasets without classes): a core that
   * falls apart into islands (common on GlaS) then stays one object with one box, instead of
   * a dozen small GrabCuts that compete for it.
   *
   * @param regionIds 0 = no region, r &gt; 0 = region r; ids need not be consecutive, and the
   *     instances keep them
   * @param classes class per annotated pixel (a region takes its most frequent one), or null
   *     for class 1 everywhere
   */
  public static Result grabCutRegions(FloatImage image, LabelImage regionIds, LabelImage classes,
      double boxMargin, int iterations) {
    int w = image.width(), h = image.height();
    requireSize(regionIds, image, "regionIds");
    if (classes != null) {
      requireSize(classes, image, "classes");
    }
    if (!(boxMargin >= 0) || iterations < 1) {
      throw new IllegalArgumentException(
          "need boxMargin >= 0 and iterations >= 1: " + boxMargin + ", " + iterations);
    }
    LabelImage regions = regionIds.copy();
    int[] rd = regions.data();
    for (int i = 0; i < rd.length; i++) {
      rd[i] = Math.max(0, rd[i]);   // IGNORE and other negatives are no region
    }
    int n = Math.max(0, regions.max());
    Box[] seedBoxes = Box.ofIds(rd, w, h, n);
    Box[] boxes = new Box[n + 1];
    for (int r = 1; r <= n; r++) {
      Box b = seedBoxes[r];
      if (b != null) {
        boxes[r] = b.expand(margin(b.width(), boxMargin), margin(b.height(), boxMargin), w, h);
      }
    }
    byte[] bgr = toBgr(image);
    int[] owner = new int[w * h];
    float[] ownerDistance = new float[w * h];
    Arrays.fill(ownerDistance, Float.POSITIVE_INFINITY);
    for (int r = 1; r <= n; r++) {
      Box box = boxes[r];
      if (box == null) {
        continue;
      }
      // A ring of context around the box gives GrabCut definite background to learn from;
      // GrabCut's cost grows with the crop's area, so the ring is kept thin.
      Box crop = box.expand(Math.max(CONTEXT, box.width() / 4),
          Math.max(CONTEXT, box.height() / 4), w, h);
      byte[] labels = initialMask(regions, r, box, boxes, crop);
      boolean[] foreground = runGrabCut(bgr, w, crop, labels, iterations);
      LabelImage seed = regionCrop(regions, r, crop);
      float[] toSeed = DistanceTransforms.euclideanTo(seed);
      for (int y = 0; y < crop.height(); y++) {
        for (int x = 0; x < crop.width(); x++) {
          int i = y * crop.width() + x;
          int p = (crop.y0() + y) * w + crop.x0() + x;
          if (foreground[i] && toSeed[i] < ownerDistance[p]) {
            owner[p] = r;
            ownerDistance[p] = toSeed[i];
          }
        }
      }
    }
    return labelsOf(owner, classes, w, h, n);
  }

  /**
   * The label a single-task network trains on for one image: its strong mask when it has one
   * (returned as it is), else the GrabCut result of its partial mask with the defaults, in the
   * convention of the dataset's masks.
   *
   * @param strongMask the strong mask, or null
   * @param partial the partial mask, or null when there is a strong mask
   * @param classIds true for datasets with classes: the partial holds class ids, its regions
   *     are its components, and class ids come back; false: the partial holds instance ids,
   *     each id is one region ({@link #grabCutRegions}), and instance ids come back
   */
  public static LabelImage pseudoMask(FloatImage image, LabelImage strongMask,
      LabelImage partial, boolean classIds) {
    if (strongMask != null) {
      return strongMask;
    }
    if (partial == null) {
      throw new IllegalArgumentException("an image needs a strong mask or a partial mask");
    }
    if (classIds) {
      return grabCut(image, partial).classes();
    }
    return grabCutRegions(image, partial, null, DEFAULT_BOX_MARGIN, DEFAULT_ITERATIONS)
        .instances();
  }

  private static void requireSize(LabelImage labels, FloatImage image, String what) {
    if (!labels.sameSize(image.width(), image.height())) {
      throw new IllegalArgumentException(what + " " + labels + " does not match " + image);
    }
  }

  private static int margin(int size, double fraction) {
    return Math.max(1, (int) Math.ceil(fraction * size));
  }

  /** GrabCut's initial labels over {@code crop} for region r, row-major in the crop. */
  private static byte[] initialMask(LabelImage regions, int r, Box box, Box[] boxes, Box crop) {
    int cw = crop.width(), ch = crop.height();
    byte[] m = new byte[cw * ch];
    Arrays.fill(m, (byte) GC_BGD);
    for (int q = 1; q < boxes.length; q++) {
      if (q != r && boxes[q] != null) {
        fill(m, crop, boxes[q], GC_PR_BGD);
      }
    }
    fill(m, crop, box, GC_PR_FGD);
    int[] ids = regions.data();
    int w = regions.width();
    int background = 0;
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int i = y * cw + x;
        if (ids[(crop.y0() + y) * w + crop.x0() + x] == r) {
          m[i] = (byte) GC_FGD;
        }
        if (m[i] == GC_BGD || m[i] == GC_PR_BGD) {
          background++;
        }
      }
    }
    if (background < MIN_SAMPLES) {
      // The box fills the crop (an object as large as the image): its rim is the best guess
      // of background there is.
      for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
          int i = y * cw + x;
          if ((x == 0 || y == 0 || x == cw - 1 || y == ch - 1) && m[i] == GC_PR_FGD) {
            m[i] = (byte) GC_PR_BGD;
          }
        }
      }
    }
    return m;
  }

  /** Sets the part of {@code box} inside {@code crop} to {@code value}. */
  private static void fill(byte[] m, Box crop, Box box, int value) {
    int x0 = Math.max(box.x0(), crop.x0()), x1 = Math.min(box.x1(), crop.x1());
    int y0 = Math.max(box.y0(), crop.y0()), y1 = Math.min(box.y1(), crop.y1());
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        m[(y - crop.y0()) * crop.width() + x - crop.x0()] = (byte) value;
      }
    }
  }

  /**
   * GrabCut on {@code crop} of the image; true where it ends at GC_FGD or GC_PR_FGD. With too
   * few samples for its colour models (a tiny region in a corner) it keeps the initial
   * definite foreground.
   */
  private static boolean[] runGrabCut(byte[] bgr, int imageWidth, Box crop, byte[] labels,
      int iterations) {
    int cw = crop.width(), ch = crop.height();
    int background = 0, foreground = 0;
    for (byte v : labels) {
      if (v == GC_BGD || v == GC_PR_BGD) {
        background++;
      } else {
        foreground++;
      }
    }
    byte[] result = labels;
    if (background >= MIN_SAMPLES && foreground >= MIN_SAMPLES) {
      byte[] pixels = new byte[cw * ch * 3];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(bgr, ((crop.y0() + y) * imageWidth + crop.x0()) * 3,
            pixels, y * cw * 3, cw * 3);
      }
      try (Mat img = new Mat(ch, cw, CV_8UC3); Mat mask = Mats.bytes(labels, cw, ch);
          Rect unused = new Rect(); Mat bgdModel = new Mat(); Mat fgdModel = new Mat()) {
        ByteBuffer buf = img.createBuffer();
        buf.put(pixels);
        opencv_imgproc.grabCut(img, mask, unused, bgdModel, fgdModel, iterations, GC_INIT_WITH_MASK);
        result = Mats.toBytes(mask);
      }
    }
    boolean[] fg = new boolean[result.length];
    for (int i = 0; i < fg.length; i++) {
      fg[i] = result[i] == GC_FGD || result[i] == GC_PR_FGD;
    }
    return fg;
  }

  private static LabelImage regionCrop(LabelImage regions, int r, Box crop) {
    LabelImage c = regions.crop(crop.x0(), crop.y0(), crop.width(), crop.height(), 0);
    int[] d = c.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] == r ? 1 : 0;
    }
    return c;
  }

  /** 8-bit, 3 channels interleaved, row-major; grey replicated. */
  private static byte[] toBgr(FloatImage image) {
    int w = image.width(), h = image.height(), n = w * h;
    float[] d = image.data();
    byte[] out = new byte[n * 3];
    for (int c = 0; c < 3; c++) {
      int plane = image.channels() >= 3 ? c : 0;
      for (int i = 0; i < n; i++) {
        float v = Math.min(1f, Math.max(0f, d[plane * n + i]));
        out[i * 3 + c] = (byte) Math.round(v * 255f);
      }
    }
    return out;
  }

  /**
   * Class and instance images from the owner of every pixel: an annotated pixel keeps its
   * class, every other pixel takes its region's.
   */
  private static Result labelsOf(int[] owner, LabelImage classes, int w, int h, int n) {
    int[] c = classes == null ? null : classes.data();
    int[] regionClass = c == null ? null : majorityValue(owner, c, n, Math.max(1, classes.max()));
    int[] out = new int[owner.length];
    for (int i = 0; i < owner.length; i++) {
      if (owner[i] > 0) {
        out[i] = c == null ? 1 : c[i] > 0 ? c[i] : regionClass[owner[i]];
      }
    }
    return new Result(new LabelImage(w, h, out), new LabelImage(w, h, owner));
  }

  /** Per region 1..n, its most frequent positive value in {@code values} (1 if none). */
  private static int[] majorityValue(int[] regionIds, int[] values, int n, int maxValue) {
    int[][] counts = new int[n + 1][maxValue + 1];
    for (int i = 0; i < regionIds.length; i++) {
      if (regionIds[i] > 0 && values[i] > 0) {
        counts[regionIds[i]][values[i]]++;
      }
    }
    int[] best = new int[n + 1];
    for (int r = 1; r <= n; r++) {
      best[r] = 1;
      for (int v = 1; v <= maxValue; v++) {
        if (counts[r][v] > counts[r][best[r]]) {
          best[r] = v;
        }
      }
    }
    return best;
  }
}
