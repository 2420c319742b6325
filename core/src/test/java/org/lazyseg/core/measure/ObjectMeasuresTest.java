package org.lazyseg.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

class ObjectMeasuresTest {
  private static final double EPS = 1e-6;

  /** A w x h image with rectangle [x0, x1] x [y0, y1] (inclusive) set to id, for each 5-tuple. */
  private static LabelImage rects(int w, int h, int... idX0Y0X1Y1) {
    LabelImage l = new LabelImage(w, h);
    for (int r = 0; r < idX0Y0X1Y1.length; r += 5) {
      for (int y = idX0Y0X1Y1[r + 2]; y <= idX0Y0X1Y1[r + 4]; y++) {
        for (int x = idX0Y0X1Y1[r + 1]; x <= idX0Y0X1Y1[r + 3]; x++) {
          l.set(x, y, idX0Y0X1Y1[r]);
        }
      }
    }
    return l;
  }

  /** A one-row image with runs [from, to] (inclusive) set to id, for each triple. */
  private static LabelImage row(int w, int... idFromTo) {
    LabelImage l = new LabelImage(w, 1);
    for (int r = 0; r < idFromTo.length; r += 3) {
      for (int x = idFromTo[r + 1]; x <= idFromTo[r + 2]; x++) {
        l.set(x, 0, idFromTo[r]);
      }
    }
    return l;
  }

  @Test
  void twoSquaresOffsetByOnePixelSideways() {
    // G = [0,2]x[0,2], S = [1,3]x[0,2]: |G| = |S| = 9, overlap 2 columns x 3 rows = 6.
    // Dice = 2*6/18 = 2/3; IoU = 6/(9+9-6) = 1/2. Column x=0 of G is 1 from S (x=1), column
    // x=3 of S is 1 from G (x=2): H = 1. One object each, so the object measures equal these.
    LabelImage g = rects(6, 6, 1, 0, 0, 2, 2);
    LabelImage s = rects(6, 6, 1, 1, 0, 3, 2);
    assertThat(PixelMeasures.dice(g, s)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(PixelMeasures.iou(g, s)).isCloseTo(0.5, within(EPS));
    assertThat(ObjectMeasures.hausdorff(g, s)).isCloseTo(1.0, within(EPS));
    assertThat(ObjectMeasures.objectDice(g, s)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, s)).isCloseTo(1.0, within(EPS));
  }

  @Test
  void twoSquaresOffsetByOnePixelDiagonally() {
    // G = [0,2]x[0,2], S = [1,3]x[1,3]: overlap [1,2]x[1,2] = 4 pixels. Dice = 8/18 = 4/9;
    // IoU = 4/(18-4) = 2/7. Corner (0,0) of G is sqrt(2) from (1,1), the nearest pixel of S,
    // and no pixel of G is farther from S; symmetrically (3,3) of S: H = sqrt(2).
    LabelImage g = rects(6, 6, 1, 0, 0, 2, 2);
    LabelImage s = rects(6, 6, 1, 1, 1, 3, 3);
    assertThat(PixelMeasures.dice(g, s)).isCloseTo(4.0 / 9, within(EPS));
    assertThat(PixelMeasures.iou(g, s)).isCloseTo(2.0 / 7, within(EPS));
    assertThat(ObjectMeasures.hausdorff(g, s)).isCloseTo(Math.sqrt(2), within(EPS));
    assertThat(ObjectMeasures.objectDice(g, s)).isCloseTo(4.0 / 9, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, s)).isCloseTo(Math.sqrt(2), within(EPS));
  }

  @Test
  void distanceOfASetToItselfIsZeroAndIdenticalObjectsScorePerfectly() {
    LabelImage g = rects(8, 5, 4, 0, 0, 2, 1, 9, 4, 2, 7, 4);
    assertThat(ObjectMeasures.hausdorff(g, g)).isZero();
    assertThat(ObjectMeasures.objectDice(g, g)).isCloseTo(1.0, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, g)).isZero();
    // The same objects with other ids are the same objects.
    LabelImage renamed = rects(8, 5, 2, 0, 0, 2, 1, 1, 4, 2, 7, 4);
    assertThat(ObjectMeasures.objectDice(g, renamed)).isCloseTo(1.0, within(EPS));
  }

  @Test
  void objectWithoutOverlapIsPairedWithTheNearestByHausdorffNotByGap() {
    // Row of 13 pixels. G: A = [0,1] (id 1), B = [8,9] (id 2). S: P = [0,6] (id 1), Q = [12] (id 2).
    // B overlaps nothing. Its gap to P is 2 and to Q is 3, but H(B,P) = max(9->6 = 3, 0->8 = 8)
    // = 8 and H(B,Q) = max(8->12 = 4, 12->9 = 3) = 4: B's partner is Q.
    // G side (|G| = 4): A: S* = P, Dice = 2*2/(2+7) = 4/9, H(A,P) = max(0, 6->1 = 5) = 5.
    //   B: Dice 0, H 4.            sum w Dice = 1/2*4/9 = 2/9;   sum w H = 1/2*5 + 1/2*4 = 9/2.
    // S side (|S| = 8): P: G* = A (only A overlaps), Dice 4/9, H 5, weight 7/8.
    //   Q: overlaps nothing; H(Q,A) = max(12->1 = 11, 0->12 = 12) = 12, H(Q,B) = 4: partner B.
    //                               sum w Dice = 7/8*4/9 = 7/18; sum w H = 7/8*5 + 1/8*4 = 39/8.
    // Object Dice = (2/9 + 7/18)/2 = 11/36; object Hausdorff = (9/2 + 39/8)/2 = 75/16.
    LabelImage g = row(13, 1, 0, 1, 2, 8, 9);
    LabelImage s = row(13, 1, 0, 6, 2, 12, 12);
    assertThat(ObjectMeasures.objectDice(g, s)).isCloseTo(11.0 / 36, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, s)).isCloseTo(75.0 / 16, within(EPS));
    // Pixel Dice for contrast: overlap 2, 2*2/(4+8) = 1/3.
    assertThat(PixelMeasures.dice(g, s)).isCloseTo(1.0 / 3, within(EPS));
  }

  @Test
  void mergedPredictionCoveringTwoTruths() {
    // G: A = [0,1], B = [4,5]; S: M = [0,5] (6 px) covers both.
    // G side: A and B each pair with M: Dice 2*2/(2+6) = 1/2, weights 1/2 -> 1/2.
    //   H(A,M) = 5->1 = 4, H(B,M) = 0->4 = 4 -> 4.
    // S side: M overlaps A and B by 2 each; the tie goes to the lower id, A: Dice 1/2, H 4.
    // Object Dice = 1/2 although pixel Dice = 2*4/(4+6) = 0.8: the merge is penalised.
    LabelImage g = row(7, 1, 0, 1, 2, 4, 5);
    LabelImage s = row(7, 1, 0, 5);
    assertThat(PixelMeasures.dice(g, s)).isCloseTo(0.8, within(EPS));
    assertThat(ObjectMeasures.objectDice(g, s)).isCloseTo(0.5, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, s)).isCloseTo(4.0, within(EPS));
  }

  @Test
  void objectsAreWeightedByArea() {
    // G: A = [0,5] (6 px), B = [8,9] (2 px).
    // Prediction finds A exactly: G side 6/8*1 + 2/8*0 = 3/4, S side 1 -> object Dice 7/8.
    //   Hausdorff: A 0; B has no overlap, its only candidate P = [0,5]: H = max(9->5 = 4, 0->8 = 8)
    //   = 8, weight 2/8 -> G side 2; S side 0 -> object Hausdorff 1.
    // Prediction finds B exactly: G side 2/8, S side 1 -> object Dice 5/8.
    LabelImage g = row(10, 1, 0, 5, 2, 8, 9);
    LabelImage findsLarge = row(10, 1, 0, 5);
    LabelImage findsSmall = row(10, 1, 8, 9);
    assertThat(ObjectMeasures.objectDice(g, findsLarge)).isCloseTo(7.0 / 8, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(g, findsLarge)).isCloseTo(1.0, within(EPS));
    assertThat(ObjectMeasures.objectDice(g, findsSmall)).isCloseTo(5.0 / 8, within(EPS));
  }

  @Test
  void binaryMasksAreSplitIntoFourConnectedComponents() {
    // Two diagonal-touching pixels and a bar: 3 objects under 4-connectivity.
    LabelImage g = new LabelImage(4, 2, new int[] {255, 0, 0, 255, 0, 255, 0, 255});
    LabelImage s = new LabelImage(4, 2, new int[] {1, 0, 0, 1, 0, 1, 0, 0});
    // G objects (area): (0,0) 1, (1,1) 1, column x=3 2; S finds the two single pixels and
    // half the bar (3 single-pixel objects). G side: 1/4*1 + 1/4*1 + 2/4 * 2*1/(2+1) = 5/6;
    // S side: 1/3*1 + 1/3*1 + 1/3 * 2/3 = 8/9 -> object Dice (5/6 + 8/9)/2 = 31/36.
    assertThat(ObjectMeasures.objectDice(g, s)).isCloseTo(31.0 / 36, within(EPS));
    // Only the bar pair differs, H = 1 ((3,1) to (3,0)): G side weight 2/4, S side 1/3
    // -> (1/2 + 1/3)/2 = 5/12.
    assertThat(ObjectMeasures.objectHausdorff(g, s)).isCloseTo(5.0 / 12, within(EPS));
  }

  @Test
  void emptyImages() {
    LabelImage empty = new LabelImage(3, 4);
    LabelImage one = rects(3, 4, 1, 1, 1, 1, 1);
    assertThat(ObjectMeasures.objectDice(empty, empty)).isEqualTo(1.0);
    assertThat(ObjectMeasures.objectHausdorff(empty, empty)).isEqualTo(0.0);
    assertThat(PixelMeasures.dice(empty, empty)).isEqualTo(1.0);
    assertThat(PixelMeasures.iou(empty, empty)).isEqualTo(1.0);
    // Exactly one empty: Dice 0, Hausdorff = diagonal of a 3 x 4 image = 5.
    assertThat(ObjectMeasures.objectDice(one, empty)).isEqualTo(0.0);
    assertThat(ObjectMeasures.objectDice(empty, one)).isEqualTo(0.0);
    assertThat(ObjectMeasures.objectHausdorff(one, empty)).isCloseTo(5.0, within(EPS));
    assertThat(ObjectMeasures.objectHausdorff(empty, one)).isCloseTo(5.0, within(EPS));
    assertThat(ObjectMeasures.hausdorff(one, empty)).isInfinite();
    assertThat(PixelMeasures.dice(one, empty)).isEqualTo(0.0);
  }

  @Test
  void classDicePerClass() {
    // Truth classes 1 1 2 2 0 0, prediction 1 2 2 0 0 1.
    // Class 1: truth {0,1}, prediction {0,5}, both {0}: 2*1/4 = 1/2.
    // Class 2: truth {2,3}, prediction {1,2}, both {2}: 1/2. Class 3 absent from both: 1.
    LabelImage t = new LabelImage(6, 1, new int[] {1, 1, 2, 2, 0, 0});
    LabelImage p = new LabelImage(6, 1, new int[] {1, 2, 2, 0, 0, 1});
    assertThat(PixelMeasures.classDice(t, p, 3)).containsExactly(new double[] {0.5, 0.5, 1.0}, within(EPS));
    // Foreground Dice ignores the class: truth 4, prediction 4, both {0,1,2} -> 6/8.
    assertThat(PixelMeasures.dice(t, p)).isCloseTo(0.75, within(EPS));
  }

  // ---- brute-force oracle ------------------------------------------------------------------

  /** Pixel coordinates of each object, by id, after the same 0/255 -> components step. */
  private static TreeMap<Integer, List<int[]>> objects(LabelImage labels) {
    LabelImage inst = Components.instances(labels);
    TreeMap<Integer, List<int[]>> out = new TreeMap<>();
    for (int y = 0; y < inst.height(); y++) {
      for (int x = 0; x < inst.width(); x++) {
        if (inst.get(x, y) > 0) {
          out.computeIfAbsent(inst.get(x, y), k -> new ArrayList<>()).add(new int[] {x, y});
        }
      }
    }
    return out;
  }

  /** All-pairs symmetric Hausdorff distance, O(|a| |b|). */
  private static double bruteHausdorff(List<int[]> a, List<int[]> b) {
    return Math.max(bruteDirected(a, b), bruteDirected(b, a));
  }

  private static double bruteDirected(List<int[]> from, List<int[]> to) {
    double max = 0;
    for (int[] p : from) {
      double min = Double.POSITIVE_INFINITY;
      for (int[] q : to) {
        min = Math.min(min, Math.hypot(p[0] - q[0], p[1] - q[1]));
      }
      max = Math.max(max, min);
    }
    return max;
  }

  private static int overlap(List<int[]> a, List<int[]> b) {
    int n = 0;
    for (int[] p : a) {
      for (int[] q : b) {
        if (p[0] == q[0] && p[1] == q[1]) {
          n++;
        }
      }
    }
    return n;
  }

  /** One side of the GlaS sums, {dice, hausdorff}, written directly from the definition. */
  private static double[] bruteSide(TreeMap<Integer, List<int[]>> a, TreeMap<Integer, List<int[]>> b) {
    double total = a.values().stream().mapToInt(List::size).sum();
    double dice = 0, hausdorff = 0;
    for (List<int[]> obj : a.values()) {
      List<int[]> best = null;
      int bestOverlap = 0;
      for (List<int[]> cand : b.values()) { // ascending id: ties keep the lower id
        int o = overlap(obj, cand);
        if (o > bestOverlap) {
          bestOverlap = o;
          best = cand;
        }
      }
      double w = obj.size() / total;
      if (best != null) {
        dice += w * 2.0 * bestOverlap / (obj.size() + best.size());
        hausdorff += w * bruteHausdorff(obj, best);
      } else {
        double nearest = Double.POSITIVE_INFINITY;
        for (List<int[]> cand : b.values()) {
          nearest = Math.min(nearest, bruteHausdorff(obj, cand));
        }
        hausdorff += w * nearest;
      }
    }
    return new double[] {dice, hausdorff};
  }

  /** Random blobs: rectangles with random ids (some shared, some large), plus sprinkled pixels. */
  private static LabelImage randomLabels(Random rnd, int w, int h) {
    LabelImage l = new LabelImage(w, h);
    int blobs = rnd.nextInt(5);
    for (int b = 0; b < blobs; b++) {
      int id = 1 + rnd.nextInt(6) * (rnd.nextBoolean() ? 1 : 1000);
      int x0 = rnd.nextInt(w), y0 = rnd.nextInt(h);
      int x1 = Math.min(w - 1, x0 + rnd.nextInt(5)), y1 = Math.min(h - 1, y0 + rnd.nextInt(5));
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          l.set(x, y, id);
        }
      }
    }
    for (int i = 0; i < w * h / 10; i++) {
      if (rnd.nextInt(3) == 0) {
        l.data()[rnd.nextInt(w * h)] = rnd.nextBoolean() ? 0 : 2 + rnd.nextInt(3);
      }
    }
    return l;
  }

  @Test
  void fastPathAgreesWithBruteForceOnRandomImages() {
    Random rnd = new Random(2017);
    int withUnmatched = 0;
    for (int trial = 0; trial < 60; trial++) {
      int w = 4 + rnd.nextInt(12), h = 4 + rnd.nextInt(12);
      LabelImage g = randomLabels(rnd, w, h);
      LabelImage s = rnd.nextInt(4) == 0 ? g : randomLabels(rnd, w, h);
      TreeMap<Integer, List<int[]>> go = objects(g), so = objects(s);
      String what = "trial " + trial + " (" + w + "x" + h + ", " + go.size() + " vs " + so.size() + " objects)";
      if (go.isEmpty() || so.isEmpty()) {
        continue;
      }
      double[] gs = bruteSide(go, so), sg = bruteSide(so, go);
      assertThat(ObjectMeasures.objectDice(g, s)).as(what).isCloseTo(0.5 * (gs[0] + sg[0]), within(1e-9));
      assertThat(ObjectMeasures.objectHausdorff(g, s)).as(what).isCloseTo(0.5 * (gs[1] + sg[1]), within(1e-4));
      List<int[]> allG = go.values().stream().flatMap(List::stream).toList();
      List<int[]> allS = so.values().stream().flatMap(List::stream).toList();
      assertThat(ObjectMeasures.hausdorff(g, s)).as(what).isCloseTo(bruteHausdorff(allG, allS), within(1e-4));
      boolean unmatched = go.values().stream().anyMatch(o -> so.values().stream().allMatch(c -> overlap(o, c) == 0));
      withUnmatched += unmatched ? 1 : 0;
    }
    // The random cases must exercise the nearest-by-Hausdorff path, not only overlaps.
    assertThat(withUnmatched).isGreaterThan(5);
  }

  @Test
  void glasSizedImageIsFast() {
    Path masks = Path.of(System.getProperty("lazyseg.shared", "../../shared")).resolve("data/glas/masks");
    Assumptions.assumeTrue(Files.isDirectory(masks), "no shared GlaS copy at " + masks);
    LabelImage truth = ImageFiles.readLabels(masks.resolve("testA_1.png"));
    // A prediction shifted right by 7 pixels, with a few glands dropped.
    LabelImage shifted = new LabelImage(truth.width(), truth.height());
    for (int y = 0; y < truth.height(); y++) {
      for (int x = 7; x < truth.width(); x++) {
        int id = truth.get(x - 7, y);
        shifted.set(x, y, id % 5 == 0 ? 0 : id);
      }
    }
    long t0 = System.nanoTime();
    double h = ObjectMeasures.objectHausdorff(truth, shifted);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(h).isGreaterThanOrEqualTo(7.0);
    assertThat(seconds).as("object Hausdorff seconds on a 775 x 522 image").isLessThan(5);
  }
}
