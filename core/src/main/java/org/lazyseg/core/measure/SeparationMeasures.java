package org.lazyseg.core.measure;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.lazyseg.core.image.LabelImage;

/**
 * Separation precision and recall (docs/methods.md, Measures; paper 001 reports both). The
 * paper gives no formula, so this is our definition [R], on instance images:
 * <ul>
 *   <li>recall: of the pairs of true objects that touch (4-adjacent pixels), the fraction the
 *       prediction keeps apart: each has a best-overlapping predicted object, and the two
 *       differ;
 *   <li>precision: of the pairs of predicted objects that come within {@link #GAP} pixels of
 *       each other (a predicted cut between touching objects is a thin line), the fraction
 *       whose best-overlapping true objects exist and differ, i.e. cuts that were right.
 * </ul>
 * Counts, not ratios, so that images can be pooled: {@link #precision()} and
 * {@link #recall()} of a sum. A ratio with nothing to count is NaN.
 */
public record SeparationMeasures(int touchingPairs, int keptApart, int closePairs,
    int rightCuts) {

  /** Predicted objects at most this far apart (Chebyshev, pixels) count as a cut pair. */
  public static final int GAP = 2;

  public static SeparationMeasures of(LabelImage truth, LabelImage prediction) {
    PixelMeasures.requireSameSize(truth, prediction);
    Map<Integer, Integer> truthToPred = bestOverlap(truth, prediction);
    Map<Integer, Integer> predToTruth = bestOverlap(prediction, truth);
    int touching = 0, apart = 0;
    for (long pair : pairs(truth, 1, true)) {
      touching++;
      Integer a = truthToPred.get((int) (pair >>> 32)), b = truthToPred.get((int) pair);
      if (a != null && b != null && !a.equals(b)) {
        apart++;
      }
    }
    int close = 0, right = 0;
    for (long pair : pairs(prediction, GAP, false)) {
      close++;
      Integer a = predToTruth.get((int) (pair >>> 32)), b = predToTruth.get((int) pair);
      if (a != null && b != null && !a.equals(b)) {
        right++;
      }
    }
    return new SeparationMeasures(touching, apart, close, right);
  }

  public SeparationMeasures plus(SeparationMeasures o) {
    return new SeparationMeasures(touchingPairs + o.touchingPairs, keptApart + o.keptApart,
        closePairs + o.closePairs, rightCuts + o.rightCuts);
  }

  public double recall() {
    return touchingPairs == 0 ? Double.NaN : (double) keptApart / touchingPairs;
  }

  public double precision() {
    return closePairs == 0 ? Double.NaN : (double) rightCuts / closePairs;
  }

  /**
   * Pairs {a, b} (a &lt; b, packed as a &lt;&lt; 32 | b) of distinct positive ids within
   * {@code reach} pixels: 4-neighbours when {@code fourAdjacent}, else a
   * (2 reach + 1)^2 square.
   */
  private static Set<Long> pairs(LabelImage labels, int reach, boolean fourAdjacent) {
    int w = labels.width(), h = labels.height();
    int[] d = labels.data();
    Set<Long> out = new HashSet<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = d[y * w + x];
        if (a <= 0) {
          continue;
        }
        // Looking forward only (later rows, or this row to the right) finds each pair once.
        for (int dy = 0; dy <= reach; dy++) {
          for (int dx = -reach; dx <= reach; dx++) {
            if ((dy == 0 && dx <= 0) || (fourAdjacent && Math.abs(dx) + dy != 1)) {
              continue;
            }
            int xx = x + dx, yy = y + dy;
            if (xx < 0 || xx >= w || yy >= h) {
              continue;
            }
            int b = d[yy * w + xx];
            if (b > 0 && b != a) {
              out.add(((long) Math.min(a, b) << 32) | Math.max(a, b));
            }
          }
        }
      }
    }
    return out;
  }

  /** For each positive id of {@code from}, the positive id of {@code to} it overlaps most. */
  private static Map<Integer, Integer> bestOverlap(LabelImage from, LabelImage to) {
    int[] f = from.data(), t = to.data();
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < f.length; i++) {
      if (f[i] > 0 && t[i] > 0) {
        counts.merge(((long) f[i] << 32) | t[i], 1, Integer::sum);
      }
    }
    Map<Integer, Integer> best = new HashMap<>();
    Map<Integer, Integer> bestCount = new HashMap<>();
    counts.forEach((key, n) -> {
      int a = (int) (key >>> 32), b = (int) (long) key;
      Integer c = bestCount.get(a);
      if (c == null || n > c || (n.equals(c) && b < best.get(a))) {
        best.put(a, b);
        bestCount.put(a, n);
      }
    });
    return best;
  }
}
