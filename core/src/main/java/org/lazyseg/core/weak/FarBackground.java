package org.lazyseg.core.weak;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;

/**
 * What a partial mask says about the full segmentation when every object of the image has
 * its core marked (the lazy-labels protocol: an inner region for each object): core pixels
 * are their object's class, and a pixel that no object can reach is background. An object
 * is taken to reach at most {@code reach x r + margin} pixels beyond its core, r being the
 * core's inner radius (the largest distance from a core pixel to the nearest pixel outside
 * the core); the pixels in between, where the boundary lies, stay unlabelled.
 *
 * <p>Why 3 and 5 pixels by default: measured on the simulated partial masks of GlaS and
 * DSB2018 (bench/tool CoreReach, BENCHMARKS.md), that calls a small fraction of a
 * percent of the object pixels background and still labels a large part of the background.
 * A typical core reaches less than twice its radius, but the perturbed cores of the
 * simulator can be thin, so the tail is long. The GrabCut pseudo labels assume
 * more: everything outside a box 1.6 times the core's is background.
 */
public final class FarBackground {
  /** Default reach of an object beyond its core, in core radii. */
  public static final double REACH = 3;
  /** Default reach added in pixels: small cores (a few pixels) belong to objects of any size. */
  public static final double MARGIN = 5;

  private FarBackground() {}

  /**
   * The segmentation target a partial mask implies.
   *
   * @param regions object cores: each id &gt; 0 is one object's core (it may fall apart into
   *     islands); 0 and negative values are no core
   * @param classes the class of every core pixel (same size as regions), or null for class 1
   * @param reach how far an object reaches beyond its core, in core radii (&gt;= 0)
   * @param margin pixels added to every object's reach (&gt;= 0)
   * @return the class on core pixels, 0 (background) where no object reaches, and
   *     {@link LabelImage#IGNORE} elsewhere; an image without cores is all background
   */
  public static LabelImage target(LabelImage regions, LabelImage classes, double reach,
      double margin) {
    int w = regions.width(), h = regions.height();
    if (classes != null && !classes.sameSize(w, h)) {
      throw new IllegalArgumentException("classes " + classes + " do not match regions " + regions);
    }
    if (!(reach >= 0) || !(margin >= 0)) {
      throw new IllegalArgumentException("reach and margin must be >= 0: " + reach + ", " + margin);
    }
    int[] ids = regions.data();
    int maxId = Math.max(0, regions.max());
    Box[] boxes = Box.ofIds(ids, w, h, maxId);
    LabelImage out = new LabelImage(w, h);
    int[] o = out.data();
    for (int id = 1; id <= maxId; id++) {
      Box box = boxes[id];
      if (box == null) {
        continue;
      }
      double limit = reach * radius(regions, id, box.expand(1, 1, w, h)) + margin;
      int grow = (int) Math.ceil(limit);
      Box around = box.expand(grow, grow, w, h);
      float[] d = DistanceTransforms.euclideanTo(around.select(regions, id));
      for (int y = 0; y < around.height(); y++) {
        for (int x = 0; x < around.width(); x++) {
          if (d[y * around.width() + x] <= limit) {
            o[(around.y0() + y) * w + around.x0() + x] = LabelImage.IGNORE;
          }
        }
      }
    }
    for (int i = 0; i < o.length; i++) {
      if (ids[i] > 0) {
        int c = classes == null ? 1 : classes.data()[i];
        o[i] = c > 0 ? c : 1;
      }
    }
    return out;
  }

  /**
   * Whether a partial mask marks every object of an image whose objects are known: each
   * instance id &gt; 0 of {@code instances} has at least one pixel &gt; 0 in {@code partial}.
   * On the images that carry both labels this tells whether the annotator follows the
   * protocol that {@link #target} assumes.
   */
  public static boolean marksEveryObject(LabelImage instances, LabelImage partial) {
    if (!partial.sameSize(instances.width(), instances.height())) {
      throw new IllegalArgumentException("partial mask " + partial + " does not match "
          + instances);
    }
    int[] ids = instances.data(), marks = partial.data();
    boolean[] present = new boolean[Math.max(0, instances.max()) + 1];
    boolean[] marked = new boolean[present.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0) {
        present[ids[i]] = true;
        marked[ids[i]] |= marks[i] > 0;
      }
    }
    for (int id = 1; id < present.length; id++) {
      if (present[id] && !marked[id]) {
        return false;
      }
    }
    return true;
  }

  /** {@link #target} with the default reach and margin. */
  public static LabelImage target(LabelImage regions, LabelImage classes) {
    return target(regions, classes, REACH, MARGIN);
  }

  /** Largest distance from a pixel of region {@code id} to the nearest pixel not in it. */
  private static float radius(LabelImage regions, int id, Box box) {
    float r = 0;
    for (float v : DistanceTransforms.euclidean(box.select(regions, id), Border.INSIDE_ONLY)) {
      r = Math.max(r, v);
    }
    return r;
  }
}
