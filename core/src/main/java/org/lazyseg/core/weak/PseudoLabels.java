package org.lazyseg.core.weak;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_FGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_INIT_WITH_MASK;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_FGD;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.Mats;

/**
 * Pseudo labels of the "PL" baseline (docs/methods.md, Pseudo labels): each partial region is grown
 * into a full object by OpenCV GrabCut, and a single-task network then trains on the result.
 *
 * <p>Per region (8-connected component of the partial mask, or one id of a given region
 * image) GrabCut runs on a crop around a box: the region itself is definite foreground
 * (GC_FGD), the rest of its box probable foreground (GC_PR_FGD) except other regions' pixels
 * (probable background, GC_PR_BGD: they belong to another object), and every pixel of the crop
 * outside the box definite background (GC_BGD), other regions' boxes included. GrabCut never
 * changes the definite labels, so the region is always in the result and a region's result
 * stays inside its box; pixels outside every box are never foreground. Regions whose results
 * overlap give each contested pixel to the region whose seed is nearer (Euclidean; the earlier
 * region on a tie).
 *
 * <p>Measured on GlaS (bench/pseudo_labels.sh, BENCHMARKS.md): leaving neighbouring boxes
 * "probable background", as an earlier version did, let GrabCut spread each object over its
 * neighbours' boxes (on GlaS, where the boxes of neighbouring glands cover the whole image, the
 * pseudo mask became nearly the whole image); a definite outside and a tighter box are far
 * closer to the truth.
 *
 * <p>The box must hold the whole object: the part of an object the box cuts off is marked
 * definite background, and it teaches GrabCut that the object's colour is background. GrabCut's
 * cost grows with the crop's area (box plus a thin context ring), so a large crop is
 * downscaled first ({@link Settings#maxPixels()}); the definite labels still hold pixel for
 * pixel. OpenCV's RNG is reset before each GrabCut, so results do not depend on what ran before
 * or on the thread.
 */
public final class PseudoLabels {
  /**
   * Box margin on each side as a fraction of the region's width (height), at least
   * {@link #MIN_BOX_MARGIN} pixels. Measured on simulated partial masks of GlaS and DSB2018
   * (BENCHMARKS.md): a tight box is closer to the truth than a generous one, as GrabCut tends to
   * fill its box; 0.3 (a box 1.6 times the region) did best on both together. The price: an
   * object much larger than its core (a LazyLabels core can be a third of its object) is cut
   * by the box, and GrabCut then keeps little more than the core. Use 1.0 where cores are
   * known to be small and objects stand out from their surroundings.
   */
  public static final double DEFAULT_BOX_MARGIN = 0.3;
  /**
   * Least box margin in pixels: small regions (a nucleus's core a few pixels wide) need more
   * room, relatively, than large ones (measured on DSB2018: 10 beats 1 and 6).
   */
  public static final int MIN_BOX_MARGIN = 10;
  /** GrabCut iterations (OpenCV's examples use 1 to 5; 3 did as well as 5 here). */
  public static final int DEFAULT_ITERATIONS = 3;
  /**
   * Largest crop (pixels) GrabCut runs on at full resolution; larger crops are downscaled to
   * about this many pixels first (see {@link Settings#maxPixels()}). The colour models need
   * few samples and objects are smooth: 2,500 to 20,000 gave the same Dice on GlaS and
   * DSB2018, at a cost that grows with it.
   */
  public static final int DEFAULT_MAX_PIXELS = 5_000;
  /** GrabCut fits 5-component colour mixtures; k-means needs at least that many samples. */
  private static final int MIN_SAMPLES = 5;
  /** Least width (pixels) of the context ring around a box. */
  private static final int CONTEXT = 8;
  /** OpenCV's GrabCut seeds k-means from its per-thread RNG: reset before each call. */
  private static final int RNG_SEED = 0x5eed;

  /** A class-id label and an instance label (each grown region carries its region's id). */
  public record Result(LabelImage classes, LabelImage instances) {}

  /**
   * How GrabCut runs.
   *
   * @param boxMargin the box around a region reaches this fraction of the region's width
   *     (height) beyond it on each side, at least {@link #MIN_BOX_MARGIN} pixels
   * @param iterations GrabCut iterations, at least 1
   * @param maxPixels GrabCut's cost is per pixel and its colour models need few samples, so a
   *     crop larger than this is downscaled (area averaging) to about this many pixels, GrabCut
   *     runs there, and its mask is upscaled (bilinear, threshold one half). The definite
   *     labels hold at full resolution either way: the region's pixels are always in the
   *     result and pixels outside every box never are. At least 256
   */
  public record Settings(double boxMargin, int iterations, int maxPixels) {
    public Settings {
      if (!(boxMargin >= 0) || iterations < 1 || maxPixels < 256) {
        throw new IllegalArgumentException("need boxMargin >= 0, iterations >= 1, maxPixels >= 256: "
            + boxMargin + ", " + iterations + ", " + maxPixels);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_BOX_MARGIN, DEFAULT_ITERATIONS, DEFAULT_MAX_PIXELS);
    }
  }

  private PseudoLabels() {}

  /** {@link #grabCut(FloatImage, LabelImage, Settings)} with the defaults. */
  public static Result grabCut(FloatImage image, LabelImage partial) {
    return grabCut(image, partial, Settings.defaults());
  }

  /** {@link #grabCut(FloatImage, LabelImage, Settings)} with the default maxPixels. */
  public static Result grabCut(FloatImage image, LabelImage partial, double boxMargin,
      int iterations) {
    return grabCut(image, partial, new Settings(boxMargin, iterations, DEFAULT_MAX_PIXELS));
  }

  /**
   * Runs GrabCut from every partial region (see the class comment).
   *
   * @param image 1 channel (replicated to three, as GrabCut needs colour) or 3 channels, values
   *     in [0, 1]; further channels are ignored
   * @param partial 0 = rest, positive = annotated (class id, or any positive value); a region
   *     takes its most frequent value as class, while its own pixels keep theirs
   */
  public static Result grabCut(FloatImage image, LabelImage partial, Settings settings) {
    requireSize(partial, image, "partial");
    return grabCutRegions(image, Components.label(partial, Connectivity.EIGHT), partial,
        settings);
  }

  /** {@link #grabCutRegions(FloatImage, LabelImage, LabelImage, Settings)}, default maxPixels. */
  public static Result grabCutRegions(FloatImage image, LabelImage regionIds, LabelImage classes,
      double boxMargin, int iterations) {
    return grabCutRegions(image, regionIds, classes,
        new Settings(boxMargin, iterations, DEFAULT_MAX_PIXELS));
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
      Settings settings) {
    int w = image.width(), h = image.height();
    requireSize(regionIds, image, "regionIds");
    if (classes != null) {
      requireSize(classes, image, "classes");
    }
    double boxMargin = settings.boxMargin();
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
      byte[] labels = initialMask(regions, r, box, crop);
      boolean[] foreground = runGrabCut(bgr, w, crop, labels, settings);
      LabelImage seed = crop.select(regions, r);
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
    return pseudoMask(image, strongMask, partial, classIds, Settings.defaults());
  }

  /** {@link #pseudoMask(FloatImage, LabelImage, LabelImage, boolean)} with given settings. */
  public static LabelImage pseudoMask(FloatImage image, LabelImage strongMask,
      LabelImage partial, boolean classIds, Settings settings) {
    if (strongMask != null) {
      return strongMask;
    }
    if (partial == null) {
      throw new IllegalArgumentException("an image needs a strong mask or a partial mask");
    }
    if (classIds) {
      return grabCut(image, partial, settings).classes();
    }
    return grabCutRegions(image, partial, null, settings).instances();
  }

  private static void requireSize(LabelImage labels, FloatImage image, String what) {
    if (!labels.sameSize(image.width(), image.height())) {
      throw new IllegalArgumentException(what + " " + labels + " does not match " + image);
    }
  }

  private static int margin(int size, double fraction) {
    return Math.max(MIN_BOX_MARGIN, (int) Math.ceil(fraction * size));
  }

  /** GrabCut's initial labels over {@code crop} for region r, row-major in the crop. */
  private static byte[] initialMask(LabelImage regions, int r, Box box, Box crop) {
    int cw = crop.width(), ch = crop.height();
    byte[] m = new byte[cw * ch];
    Arrays.fill(m, (byte) GC_BGD);
    fill(m, crop, box, GC_PR_FGD);
    int[] ids = regions.data();
    int w = regions.width();
    int background = 0;
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int i = y * cw + x;
        int id = ids[(crop.y0() + y) * w + crop.x0() + x];
        if (id == r) {
          m[i] = (byte) GC_FGD;
        } else if (id > 0 && m[i] == GC_PR_FGD) {
          m[i] = (byte) GC_PR_BGD;
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
   * definite foreground. A crop larger than {@code settings.maxPixels()} is downscaled first
   * (see {@link Settings}); the definite labels are then restored at full resolution.
   */
  private static boolean[] runGrabCut(byte[] bgr, int imageWidth, Box crop, byte[] labels,
      Settings settings) {
    int cw = crop.width(), ch = crop.height(), n = cw * ch;
    boolean[] fg = new boolean[n];
    if (!enoughSamples(labels)) {
      for (int i = 0; i < n; i++) {
        fg[i] = labels[i] == GC_FGD || labels[i] == GC_PR_FGD;
      }
      return fg;
    }
    byte[] pixels = new byte[n * 3];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(bgr, ((crop.y0() + y) * imageWidth + crop.x0()) * 3, pixels, y * cw * 3,
          cw * 3);
    }
    if (n <= settings.maxPixels()) {
      byte[] result = grabCut(pixels, labels, cw, ch, settings.iterations());
      for (int i = 0; i < n; i++) {
        fg[i] = result[i] == GC_FGD || result[i] == GC_PR_FGD;
      }
      return fg;
    }
    double scale = Math.sqrt((double) settings.maxPixels() / n);
    int sw = Math.max(1, (int) Math.round(cw * scale)), sh = Math.max(1, (int) Math.round(ch * scale));
    byte[] small = downscaleLabels(labels, cw, ch, sw, sh);
    if (!enoughSamples(small)) {
      return runGrabCut(bgr, imageWidth, crop, labels,
          new Settings(settings.boxMargin(), settings.iterations(), n));
    }
    byte[] smallPixels;
    try (Mat img = new Mat(ch, cw, CV_8UC3); Mat smallImg = new Mat(); Size size = new Size(sw, sh)) {
      ByteBuffer buf = img.createBuffer();
      buf.put(pixels);
      resize(img, smallImg, size, 0, 0, INTER_AREA);
      smallPixels = new byte[sw * sh * 3];
      ByteBuffer out = smallImg.createBuffer();
      out.get(smallPixels);
    }
    byte[] result = grabCut(smallPixels, small, sw, sh, settings.iterations());
    for (int i = 0; i < result.length; i++) {
      result[i] = result[i] == GC_FGD || result[i] == GC_PR_FGD ? (byte) 255 : 0;
    }
    byte[] up;
    try (Mat m = Mats.bytes(result, sw, sh); Mat big = new Mat(); Size size = new Size(cw, ch)) {
      resize(m, big, size, 0, 0, INTER_LINEAR);
      up = Mats.toBytes(big);
    }
    for (int i = 0; i < n; i++) {
      // The definite labels hold at full resolution.
      fg[i] = labels[i] == GC_FGD || (labels[i] != GC_BGD && (up[i] & 0xff) >= 128);
    }
    return fg;
  }

  /** Whether both colour models get at least MIN_SAMPLES pixels. */
  private static boolean enoughSamples(byte[] labels) {
    int background = 0, foreground = 0;
    for (byte v : labels) {
      if (v == GC_BGD || v == GC_PR_BGD) {
        background++;
      } else {
        foreground++;
      }
    }
    return background >= MIN_SAMPLES && foreground >= MIN_SAMPLES;
  }

  /**
   * GrabCut's labels for a sw x sh version of a cw x ch crop: a cell with any definite
   * foreground pixel is definite foreground (thin cores survive), one made of definite
   * background only is definite background, any other takes the probable label most of its
   * pixels lean to.
   */
  private static byte[] downscaleLabels(byte[] labels, int cw, int ch, int sw, int sh) {
    int[] definiteFg = new int[sw * sh], leanFg = new int[sw * sh], leanBg = new int[sw * sh];
    int[] definiteBg = new int[sw * sh];
    for (int y = 0; y < ch; y++) {
      int row = (int) ((long) y * sh / ch) * sw;
      for (int x = 0; x < cw; x++) {
        int c = row + (int) ((long) x * sw / cw);
        switch (labels[y * cw + x]) {
          case GC_FGD -> definiteFg[c]++;
          case GC_PR_FGD -> leanFg[c]++;
          case GC_PR_BGD -> leanBg[c]++;
          default -> definiteBg[c]++;
        }
      }
    }
    byte[] small = new byte[sw * sh];
    for (int c = 0; c < small.length; c++) {
      if (definiteFg[c] > 0) {
        small[c] = (byte) GC_FGD;
      } else if (leanFg[c] == 0 && leanBg[c] == 0) {
        small[c] = (byte) GC_BGD;
      } else {
        small[c] = (byte) (leanFg[c] >= leanBg[c] + definiteBg[c] ? GC_PR_FGD : GC_PR_BGD);
      }
    }
    return small;
  }

  /** OpenCV GrabCut on interleaved 8-bit colour pixels, from the given labels; new labels. */
  private static byte[] grabCut(byte[] pixels, byte[] labels, int w, int h, int iterations) {
    try (Mat img = new Mat(h, w, CV_8UC3); Mat mask = Mats.bytes(labels, w, h);
        Rect unused = new Rect(); Mat bgdModel = new Mat(); Mat fgdModel = new Mat()) {
      ByteBuffer buf = img.createBuffer();
      buf.put(pixels);
      setRNGSeed(RNG_SEED);   // deterministic, whichever thread runs it and what ran before
      opencv_imgproc.grabCut(img, mask, unused, bgdModel, fgdModel, iterations, GC_INIT_WITH_MASK);
      return Mats.toBytes(mask);
    }
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
