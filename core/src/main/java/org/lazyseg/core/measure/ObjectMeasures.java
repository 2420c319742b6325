package org.lazyseg.core.measure;

import java.util.Arrays;
import java.util.Comparator;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.DistanceTransforms;

/**
 * Object-level measures of the GlaS challenge (Sirinukunwattana et al., Medical Image Analysis
 * 35, 2017) between a truth G and a prediction S of the same size.
 *
 * <p>Inputs are instance images (0 = background, each positive id one object); an image with a
 * single positive value (a 0/1 or 0/255 mask) is first split into its 4-connected components
 * ({@link Components#instances}). Object i of G has area |G_i| and weight
 * {@code w_i = |G_i| / sum |G|}; likewise {@code w~_j = |S_j| / sum |S|}. S*(G_i) is the object
 * of S that overlaps G_i in the most pixels (ties: the lower id), and G*(S_j) likewise.
 *
 * <p>Conventions for empty images, chosen so that every value is finite and comparable:
 * <ul>
 *   <li>both empty: object Dice 1, object Hausdorff 0 (a perfect prediction of nothing);
 *   <li>exactly one empty: object Dice 0, object Hausdorff = the image diagonal
 *       {@code sqrt(width^2 + height^2)}, which exceeds the Hausdorff distance of any two
 *       non-empty pixel sets of the image (at most {@code sqrt((width-1)^2 + (height-1)^2)}).
 * </ul>
 * Distances are in pixels, Euclidean, between pixel centres.
 */
public final class ObjectMeasures {
  private ObjectMeasures() {}

  /**
   * GlaS object Dice {@code 0.5 [sum_i w_i Dice(G_i, S*(G_i)) + sum_j w~_j Dice(G*(S_j), S_j)]},
   * where an object that overlaps nothing contributes Dice 0.
   */
  public static double objectDice(LabelImage truth, LabelImage prediction) {
    PixelMeasures.requireSameSize(truth, prediction);
    ObjectTable g = new ObjectTable(Components.instances(truth));
    ObjectTable s = new ObjectTable(Components.instances(prediction));
    if (g.count == 0 && s.count == 0) {
      return 1.0;
    }
    if (g.count == 0 || s.count == 0) {
      return 0.0;
    }
    return 0.5 * (weightedDice(g, s) + weightedDice(s, g));
  }

  /**
   * GlaS object Hausdorff {@code 0.5 [sum_i w_i H(G_i, S*(G_i)) + sum_j w~_j H(G*(S_j), S_j)]}
   * with H the symmetric Hausdorff distance. An object that overlaps nothing is paired, as in
   * the GlaS evaluation code, with the object of the other image nearest to it in Hausdorff
   * distance. See the class comment for empty images.
   */
  public static double objectHausdorff(LabelImage truth, LabelImage prediction) {
    PixelMeasures.requireSameSize(truth, prediction);
    ObjectTable g = new ObjectTable(Components.instances(truth));
    ObjectTable s = new ObjectTable(Components.instances(prediction));
    if (g.count == 0 && s.count == 0) {
      return 0.0;
    }
    if (g.count == 0 || s.count == 0) {
      return Math.hypot(truth.width(), truth.height());
    }
    return 0.5 * (weightedHausdorff(g, s) + weightedHausdorff(s, g));
  }

  /**
   * Symmetric Hausdorff distance between the pixel sets {@code a > 0} and {@code b > 0}
   * (all objects together): 0 when both are empty, infinite when exactly one is.
   */
  public static double hausdorff(LabelImage a, LabelImage b) {
    PixelMeasures.requireSameSize(a, b);
    ObjectTable x = new ObjectTable(a.foreground());
    ObjectTable y = new ObjectTable(b.foreground());
    if (x.count == 0 && y.count == 0) {
      return 0.0;
    }
    if (x.count == 0 || y.count == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return hausdorff(x, 1, y, 1);
  }

  /** {@code sum_o w_o Dice(A_o, best partner in B)}. */
  private static double weightedDice(ObjectTable a, ObjectTable b) {
    int[] partner = new int[a.count + 1];
    int[] overlap = new int[a.count + 1];
    a.bestOverlaps(b, partner, overlap);
    double sum = 0;
    for (int o = 1; o <= a.count; o++) {
      if (partner[o] > 0) {
        double dice = 2.0 * overlap[o] / (a.area[o] + b.area[partner[o]]);
        sum += (double) a.area[o] / a.totalArea * dice;
      }
    }
    return sum;
  }

  /** {@code sum_o w_o H(A_o, partner in B)}, the partner nearest by Hausdorff when none overlaps. */
  private static double weightedHausdorff(ObjectTable a, ObjectTable b) {
    int[] partner = new int[a.count + 1];
    int[] overlap = new int[a.count + 1];
    a.bestOverlaps(b, partner, overlap);
    double sum = 0;
    for (int o = 1; o <= a.count; o++) {
      double h = partner[o] > 0 ? hausdorff(a, o, b, partner[o]) : nearestHausdorff(a, o, b);
      sum += (double) a.area[o] / a.totalArea * h;
    }
    return sum;
  }

  /** Symmetric Hausdorff distance between object {@code i} of {@code a} and {@code j} of {@code b}. */
  static double hausdorff(ObjectTable a, int i, ObjectTable b, int j) {
    return Math.max(directed(a, i, b, j), directed(b, j, a, i));
  }

  /**
   * {@code max over p in from_f of the distance from p to to_t}: one Euclidean distance
   * transform to {@code to_t} over the bounding box holding both objects. The box suffices
   * because every pixel of {@code to_t} lies inside it, and distances are straight lines, not
   * paths that would need room around the objects.
   */
  private static double directed(ObjectTable from, int f, ObjectTable to, int t) {
    int x0 = Math.min(from.minX[f], to.minX[t]), y0 = Math.min(from.minY[f], to.minY[t]);
    int x1 = Math.max(from.maxX[f], to.maxX[t]), y1 = Math.max(from.maxY[f], to.maxY[t]);
    int w = x1 - x0 + 1, h = y1 - y0 + 1;
    int imageWidth = from.width;
    LabelImage target = new LabelImage(w, h);
    int[] td = target.data();
    for (int i : to.pixels[t]) {
      td[(i / imageWidth - y0) * w + (i % imageWidth - x0)] = 1;
    }
    float[] distance = DistanceTransforms.euclideanTo(target);
    float max = 0;
    for (int i : from.pixels[f]) {
      max = Math.max(max, distance[(i / imageWidth - y0) * w + (i % imageWidth - x0)]);
    }
    return max;
  }

  /**
   * The smallest Hausdorff distance between object {@code f} of {@code from} and any object of
   * {@code to}. One distance transform to the object over the whole image gives, for every
   * candidate q, the exact directed distance from q to the object, a lower bound on H; the
   * candidates are tried in the order of that bound, and the search stops once the bound
   * reaches the best distance found, so usually only the nearest few need a second transform.
   */
  private static double nearestHausdorff(ObjectTable from, int f, ObjectTable to) {
    LabelImage object = new LabelImage(from.width, from.height);
    for (int i : from.pixels[f]) {
      object.data()[i] = 1;
    }
    float[] distance = DistanceTransforms.euclideanTo(object);
    double[] fromCandidate = new double[to.count + 1];
    for (int q = 1; q <= to.count; q++) {
      float max = 0;
      for (int i : to.pixels[q]) {
        max = Math.max(max, distance[i]);
      }
      fromCandidate[q] = max;
    }
    Integer[] order = new Integer[to.count];
    for (int q = 1; q <= to.count; q++) {
      order[q - 1] = q;
    }
    Arrays.sort(order, Comparator.comparingDouble(q -> fromCandidate[q]));
    double best = Double.POSITIVE_INFINITY;
    for (int q : order) {
      if (fromCandidate[q] >= best) {
        break;
      }
      best = Math.min(best, Math.max(fromCandidate[q], directed(from, f, to, q)));
    }
    return best;
  }
}
