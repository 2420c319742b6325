package org.lazyseg.core.weak;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;

/**
 * Level-set growth of the recursive approximation (docs/methods.md, Level-set growth): grows a seed
 * region A towards a predicted foreground S,
 *
 * <pre>
 *   phi(i) = d(i, A) - lambda * d(i, complement of S)      new region = { i : phi(i) &lt;= 0 }
 * </pre>
 *
 * with d(i, X) the Euclidean distance from pixel i to the nearest pixel of X (0 on X).
 * Because d(i, complement of S) is 0 outside S, growth never leaves S; A itself is always
 * kept, so A is a subset of the result even where A sticks out of S. Only pixels of the image
 * count: the area beyond the border is not "outside S", so an object cut by the border grows
 * up to the border as if S continued.
 *
 * <p>Properties (tested): lambda = 0 gives A; lambda = infinity gives A united with S (the
 * components of S that A touches, for several objects); the region grows monotonically with
 * lambda; a disc of radius R0 centred in a disc of radius R grows to radius
 * (R0 + lambda R) / (1 + lambda).
 *
 * <p>Several objects: the seeds are the 8-connected components of A and the objects of S its
 * 8-connected components. A component of S touching one seed belongs to it; one touching
 * several seeds is split among them by nearest seed (Euclidean), and the pixels about midway
 * ({@link #MIDWAY_BAND}) go to nobody, so grown objects never touch; one touching no seed is
 * dropped. Each seed then grows, by the rule above, inside its own part of S. "Touching" is
 * decided on the 8-connected components of S united with A, so a seed that overlaps a
 * component or is its 8-neighbour touches it; when A lies inside S this is plain overlap, and
 * otherwise it keeps a seed's own pixels outside S from touching a neighbour's part. All
 * distance transforms run on the bounding box of one object and its part plus a 1-pixel
 * margin, which gives the same distances as the whole image (the margin is outside the part
 * and every farther pixel is farther than some margin pixel), at the cost of the box's area.
 */
public final class LevelSetGrowth {
  /**
   * A pixel of a shared component of S whose nearest two seeds are at distances d1 &lt;= d2 is
   * removed when {@code d2 - d1 < MIDWAY_BAND}. The issue's |d1 - d2| &lt; 1 lets pixels of
   * two objects be 4-neighbours (seeds an odd number of pixels apart: d2 - d1 = 1 on both
   * sides of the middle). Since distances are 1-Lipschitz, two pixels owned by different seeds
   * are at least MIDWAY_BAND apart; 1.5 &gt; sqrt 2 keeps them from being even 8-neighbours,
   * with room for float rounding.
   */
  public static final double MIDWAY_BAND = 1.5;

  /** Seeds and objects of S touch at corners too: conservative, a diagonal step joins. */
  private static final Connectivity OBJECTS = Connectivity.EIGHT;

  /** A grown class-id label and its instances (one id per seed). */
  public record Grown(LabelImage classes, LabelImage instances) {}

  private LevelSetGrowth() {}

  /**
   * Grows one region: {@code {i : d(i, A) <= lambda d(i, complement of S)}} united with A.
   *
   * @param seed A: every positive pixel
   * @param foreground S: every positive pixel
   * @param lambda in [0, infinity]; 0 returns A, infinity A united with S
   * @return 0/1, a new image
   */
  public static LabelImage grow(LabelImage seed, LabelImage foreground, double lambda) {
    checkArguments(seed, foreground, lambda);
    return growRegion(seed, foreground, lambda);
  }

  /**
   * {@link #grow(LabelImage, LabelImage, double)} united with the annotator's original partial
   * mask (every positive pixel of {@code original}), so annotated pixels are never lost.
   */
  public static LabelImage grow(LabelImage seed, LabelImage foreground, double lambda,
      LabelImage original) {
    LabelImage out = grow(seed, foreground, lambda);
    requireSameSize(original, out, "original");
    int[] o = out.data(), r = original.data();
    for (int i = 0; i < o.length; i++) {
      if (r[i] > 0) {
        o[i] = 1;
      }
    }
    return out;
  }

  /**
   * Grows several objects without merging them (see the class comment).
   *
   * @param seeds A, possibly several objects: every positive pixel; its values are ignored
   *     (the seeds are A's 8-connected components)
   * @param foreground S: every positive pixel
   * @return instance ids 1..n, one per seed in raster order of the seed's first pixel; every
   *     seed pixel carries its seed's id
   */
  public static LabelImage growInstances(LabelImage seeds, LabelImage foreground, double lambda) {
    checkArguments(seeds, foreground, lambda);
    return growSeeds(Components.label(seeds, OBJECTS), foreground, lambda);
  }

  /**
   * Like {@link #growInstances} but with the seeds given as ids instead of taken as A's
   * components: every pixel with id s &gt; 0 belongs to seed s, which need not be connected.
   * Use it when the objects are known, e.g. the instance ids of an annotator's partial mask,
   * whose cores often fall apart into many islands (one GlaS gland's core can be a dozen):
   * as components those islands would split the gland between them. Seeds with different ids
   * should not be 8-neighbours; where they are, they still touch in the result, as seeds are
   * always kept.
   *
   * @param seedIds 0 = no seed, s &gt; 0 = seed s; ids need not be consecutive
   * @return instance ids: each grown object keeps its seed's id
   */
  public static LabelImage growLabelledSeeds(LabelImage seedIds, LabelImage foreground,
      double lambda) {
    checkArguments(seedIds, foreground, lambda);
    LabelImage ids = seedIds.copy();
    int[] d = ids.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.max(0, d[i]);   // IGNORE and other negatives are no seed
    }
    return growSeeds(ids, foreground, lambda);
  }

  /**
   * Several classes: grows all classes as one foreground ({@link #growInstances}), then gives
   * each grown object the class of its seed. A seed holding several classes (cores of
   * different classes that touch) gives its grown pixels its most frequent class (the
   * smallest id on a tie) while its own pixels keep theirs.
   *
   * @param classSeeds class-id partial label: 0 = rest, k &gt; 0 = class k
   */
  public static Grown growClasses(LabelImage classSeeds, LabelImage foreground, double lambda) {
    checkArguments(classSeeds, foreground, lambda);
    LabelImage instances = growSeeds(Components.label(classSeeds, OBJECTS), foreground, lambda);
    int[] seedClass = majorityClass(instances, classSeeds);
    int[] ids = instances.data(), cls = classSeeds.data();
    int[] classes = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0) {
        classes[i] = cls[i] > 0 ? cls[i] : seedClass[ids[i]];
      }
    }
    return new Grown(new LabelImage(instances.width(), instances.height(), classes), instances);
  }

  /**
   * {@link #growClasses(LabelImage, LabelImage, double)} united with the annotator's original
   * partial mask (class ids): every annotated pixel takes its annotated class. Annotated pixels
   * no object covers become new instances, one per 8-connected component, numbered after the
   * grown ones.
   */
  public static Grown growClasses(LabelImage classSeeds, LabelImage foreground, double lambda,
      LabelImage original) {
    Grown g = growClasses(classSeeds, foreground, lambda);
    requireSameSize(original, g.classes(), "original");
    int[] cls = g.classes().data(), ids = g.instances().data(), r = original.data();
    LabelImage uncovered = new LabelImage(original.width(), original.height());
    int[] u = uncovered.data();
    boolean anyUncovered = false;
    for (int i = 0; i < r.length; i++) {
      if (r[i] > 0) {
        cls[i] = r[i];
        if (ids[i] == 0) {
          u[i] = 1;
          anyUncovered = true;
        }
      }
    }
    if (anyUncovered) {
      int next = Math.max(0, g.instances().max());
      int[] extra = Components.label(uncovered, OBJECTS).data();
      for (int i = 0; i < extra.length; i++) {
        if (extra[i] > 0) {
          ids[i] = next + extra[i];
        }
      }
    }
    return g;
  }

  /**
   * Steps (2) to (4) of the class comment, for seeds labelled with ids up to n (absent ids
   * are skipped).
   */
  private static LabelImage growSeeds(LabelImage seedIds, LabelImage foreground, double lambda) {
    int w = seedIds.width(), h = seedIds.height();
    int n = Math.max(0, seedIds.max());
    LabelImage out = new LabelImage(w, h);
    if (n == 0) {
      return out;
    }
    int[] owner = partsOfForeground(seedIds, n, foreground);
    int[] f = foreground.data();
    for (int i = 0; i < owner.length; i++) {
      if (f[i] <= 0) {
        owner[i] = 0;   // seed pixels outside S were only needed for the split
      }
    }
    Box[] seedBoxes = Box.ofIds(seedIds.data(), w, h, n);
    Box[] partBoxes = Box.ofIds(owner, w, h, n);
    LabelImage owners = new LabelImage(w, h, owner);
    int[] o = out.data();
    for (int s = 1; s <= n; s++) {
      if (seedBoxes[s] == null) {
        continue;
      }
      Box box = Box.union(seedBoxes[s], partBoxes[s]).expand(1, 1, w, h);
      LabelImage seed = box.select(seedIds, s);
      LabelImage part = box.select(owners, s);
      int[] grown = growRegion(seed, part, lambda).data();
      int bw = box.width();
      for (int y = 0; y < box.height(); y++) {
        for (int x = 0; x < bw; x++) {
          if (grown[y * bw + x] > 0) {
            o[(box.y0() + y) * w + box.x0() + x] = s;
          }
        }
      }
    }
    return out;
  }

  /**
   * Which seed owns each pixel of S united with A: 0 for pixels of components without a seed
   * and for the midway pixels of shared components.
   */
  private static int[] partsOfForeground(LabelImage seedIds, int n, LabelImage foreground) {
    int w = seedIds.width(), h = seedIds.height();
    LabelImage joined = foreground.foreground();
    int[] j = joined.data(), seedData = seedIds.data();
    for (int i = 0; i < j.length; i++) {
      if (seedData[i] > 0) {
        j[i] = 1;
      }
    }
    LabelImage components = Components.label(joined, OBJECTS);
    int[] c = components.data(), a = seedIds.data();
    int m = Math.max(0, components.max());
    List<TreeSet<Integer>> touching = new ArrayList<>(m + 1);
    for (int k = 0; k <= m; k++) {
      touching.add(new TreeSet<>());
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0 && c[i] > 0) {
        touching.get(c[i]).add(a[i]);
      }
    }
    Box[] componentBoxes = Box.ofIds(c, w, h, m);
    Box[] seedBoxes = Box.ofIds(a, w, h, n);
    int[] owner = new int[a.length];
    for (int k = 1; k <= m; k++) {
      TreeSet<Integer> seeds = touching.get(k);
      if (seeds.size() == 1) {
        int s = seeds.first();
        Box b = componentBoxes[k];
        for (int y = b.y0(); y <= b.y1(); y++) {
          for (int x = b.x0(); x <= b.x1(); x++) {
            if (c[y * w + x] == k) {
              owner[y * w + x] = s;
            }
          }
        }
      } else if (seeds.size() > 1) {
        splitByNearestSeed(components, k, componentBoxes[k], seedIds, seeds, seedBoxes, owner);
      }
    }
    return owner;
  }

  private static void splitByNearestSeed(LabelImage components, int k, Box componentBox,
      LabelImage seedIds, TreeSet<Integer> seeds, Box[] seedBoxes, int[] owner) {
    int w = components.width();
    Box box = componentBox;
    for (int s : seeds) {
      box = Box.union(box, seedBoxes[s]);
    }
    int bw = box.width(), bh = box.height();
    int[] seedList = seeds.stream().mapToInt(Integer::intValue).toArray();
    // Each seed lies wholly inside the box, so distances to it are exact there.
    float[][] dist = new float[seedList.length][];
    for (int j = 0; j < seedList.length; j++) {
      dist[j] = DistanceTransforms.euclideanTo(box.select(seedIds, seedList[j]));
    }
    int[] c = components.data();
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int p = (box.y0() + y) * w + box.x0() + x;
        if (c[p] != k) {
          continue;
        }
        int i = y * bw + x;
        int nearest = -1;
        double d1 = Double.POSITIVE_INFINITY, d2 = Double.POSITIVE_INFINITY;
        for (int j = 0; j < seedList.length; j++) {
          double d = dist[j][i];
          if (d < d1) {
            d2 = d1;
            d1 = d;
            nearest = j;
          } else if (d < d2) {
            d2 = d;
          }
        }
        if (d2 - d1 >= MIDWAY_BAND) {
          owner[p] = seedList[nearest];
        }
      }
    }
  }

  /** The single-object rule on images of one size; the result is 0/1. */
  private static LabelImage growRegion(LabelImage seed, LabelImage region, double lambda) {
    int[] s = seed.data();
    int[] out = new int[s.length];
    boolean any = false;
    for (int i = 0; i < s.length; i++) {
      if (s[i] > 0) {
        out[i] = 1;
        any = true;
      }
    }
    if (any && lambda > 0) {
      float[] toSeed = DistanceTransforms.euclideanTo(seed);
      // INSIDE_ONLY: pixels beyond the image are not outside S (see the class comment).
      float[] toOutside = DistanceTransforms.euclidean(region, Border.INSIDE_ONLY);
      for (int i = 0; i < out.length; i++) {
        // toOutside > 0 only inside S; testing it first also avoids infinity * 0.
        if (out[i] == 0 && toOutside[i] > 0 && toSeed[i] <= lambda * toOutside[i]) {
          out[i] = 1;
        }
      }
    }
    return new LabelImage(seed.width(), seed.height(), out);
  }


  /** Per instance id, the most frequent positive class among its pixels (1 if it has none). */
  private static int[] majorityClass(LabelImage instances, LabelImage classes) {
    int n = Math.max(0, instances.max());
    int k = Math.max(1, classes.max());
    int[][] counts = new int[n + 1][k + 1];
    int[] ids = instances.data(), cls = classes.data();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0 && cls[i] > 0) {
        counts[ids[i]][cls[i]]++;
      }
    }
    int[] best = new int[n + 1];
    for (int id = 1; id <= n; id++) {
      best[id] = 1;
      for (int c = 1; c <= k; c++) {
        if (counts[id][c] > counts[id][best[id]]) {
          best[id] = c;
        }
      }
    }
    return best;
  }

  private static void checkArguments(LabelImage seed, LabelImage foreground, double lambda) {
    requireSameSize(foreground, seed, "foreground");
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("lambda must be >= 0 (infinity allowed): " + lambda);
    }
  }

  private static void requireSameSize(LabelImage other, LabelImage reference, String what) {
    if (!other.sameSize(reference.width(), reference.height())) {
      throw new IllegalArgumentException(what + " " + other + " does not match " + reference);
    }
  }
}
