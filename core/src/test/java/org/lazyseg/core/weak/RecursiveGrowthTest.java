package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/** Re-labelling between rounds and the final growth of the recursive approximation. */
class RecursiveGrowthTest {
  private static LabelImage disc(int size, double cx, double cy, double r) {
    LabelImage l = new LabelImage(size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
          l.set(x, y, 1);
        }
      }
    }
    return l;
  }

  private static LabelImage union(LabelImage a, LabelImage b) {
    LabelImage u = a.copy();
    for (int i = 0; i < u.data().length; i++) {
      u.data()[i] = Math.max(u.data()[i], b.data()[i]) > 0 ? 1 : 0;
    }
    return u;
  }

  /** Discs of radius 10 at (18, 32) and (46, 32) joined by a bridge of rows 30..34. */
  private static LabelImage bridgedDiscs(int n) {
    LabelImage s = union(disc(n, 18, 32, 10), disc(n, 46, 32, 10));
    for (int y = 30; y < 35; y++) {
      for (int x = 18; x < 46; x++) {
        s.set(x, y, 1);
      }
    }
    return s;
  }

  private static int area(LabelImage l) {
    int n = 0;
    for (int v : l.data()) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private static boolean contains(LabelImage outer, LabelImage inner) {
    for (int i = 0; i < inner.data().length; i++) {
      if (inner.data()[i] > 0 && outer.data()[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  private static float[][] probabilities(LabelImage l) {
    float[][] p = new float[2][l.data().length];
    for (int i = 0; i < p[0].length; i++) {
      p[1][i] = l.data()[i] > 0 ? 0.9f : 0.1f;
      p[0][i] = 1 - p[1][i];
    }
    return p;
  }

  @Test
  void relabellingGrowsMonotonicallyTowardsThePredictedRegion() {
    int n = 90;
    LabelImage object = disc(n, 45, 45, 25);
    LabelImage stray = disc(n, 8, 8, 4);          // predicted by both heads, never annotated
    LabelImage foreground = union(object, stray);
    LabelImage original = disc(n, 45, 45, 5);
    LabelImage predicted = union(disc(n, 45, 45, 7), stray);

    LabelImage current = original;
    double lambda = 0.5;
    // One step from A = the label alone: a disc of radius (R0 + lambda R) / (1 + lambda).
    LabelImage once = RecursiveGrowth.relabel(current, new LabelImage(n, n), object,
        lambda, original);
    assertThat(area(once)).isCloseTo((int) (Math.PI * Math.pow((5 + lambda * 25) / 1.5, 2)),
        within(60));

    double previousDice = PixelMeasures.dice(object, current);
    for (int round = 0; round < 6; round++) {
      LabelImage next = RecursiveGrowth.relabel(current, predicted, foreground, lambda,
          original);
      assertThat(contains(next, current)).as("round %d keeps its label", round).isTrue();
      assertThat(area(next)).as("round %d grows", round).isGreaterThan(area(current));
      assertThat(contains(union(object, original), next)).as("stays inside S").isTrue();
      assertThat(next.get(8, 8)).as("no new object where nothing was annotated").isZero();
      double dice = PixelMeasures.dice(object, next);
      assertThat(dice).isGreaterThan(previousDice);
      previousDice = dice;
      current = next;
    }
    assertThat(previousDice).isGreaterThan(0.9);
  }

  @Test
  void relabellingKeepsTwoAnnotatedObjectsApartInOnePredictedBlob() {
    int n = 80;
    LabelImage blob = union(disc(n, 25, 40, 16), disc(n, 55, 40, 16));   // touching
    LabelImage original = union(disc(n, 25, 40, 4), disc(n, 55, 40, 4));
    LabelImage grown = RecursiveGrowth.relabel(original, new LabelImage(n, n), blob,
        Double.POSITIVE_INFINITY, original);
    assertThat(grown.get(25, 40)).isEqualTo(1);
    assertThat(grown.get(40, 40)).as("midway pixels go to nobody").isZero();
    assertThat(grown.get(33, 40)).isEqualTo(1);
    assertThat(grown.get(47, 40)).isEqualTo(1);
  }

  @Test
  void islandsOfOneAnnotatedObjectGrowAsOneWhenItsIdIsKnown() {
    int n = 80;
    LabelImage gland = disc(n, 40, 40, 30);
    LabelImage islands = union(disc(n, 28, 40, 4), disc(n, 52, 40, 4));   // one object's core
    LabelImage ids = islands.copy();
    LabelImage other = disc(n, 70, 10, 3);                                  // object 2
    LabelImage original = union(islands, other);
    for (int i = 0; i < ids.data().length; i++) {
      ids.data()[i] = islands.data()[i] > 0 ? 1 : other.data()[i] > 0 ? 2 : 0;
    }
    LabelImage s = union(gland, disc(n, 70, 10, 6));
    LabelImage asComponents = RecursiveGrowth.relabel(original, new LabelImage(n, n), s,
        Double.POSITIVE_INFINITY, original);
    LabelImage asObjects = RecursiveGrowth.relabel(original, new LabelImage(n, n), s,
        Double.POSITIVE_INFINITY, original, ids);
    assertThat(asComponents.get(40, 40)).as("islands as two seeds: a midway gap").isZero();
    assertThat(asObjects.get(40, 40)).as("one object: no gap").isEqualTo(1);
    assertThat(area(asObjects)).isEqualTo(area(s));
  }

  @Test
  void predictionGrowsMoreWithTheLargerLambda() {
    int n = 64;
    float[][] segmentation = probabilities(disc(n, 32, 32, 20));
    float[][] approximation = probabilities(disc(n, 32, 32, 8));
    int[] areas = new int[3];
    double[] lambdas = {0.1, 1.0, Double.POSITIVE_INFINITY};
    for (int k = 0; k < 3; k++) {
      LevelSetGrowth.Grown s = RecursiveGrowth.grow(segmentation, approximation, null, n, n,
          lambdas[k]);
      areas[k] = area(s.classes());
      assertThat(s.instances().max()).isEqualTo(1);
    }
    assertThat(areas[0]).isGreaterThan(area(disc(n, 32, 32, 8)));
    assertThat(areas[1]).isGreaterThan(areas[0]);
    assertThat(areas[2]).isGreaterThan(areas[1]).isEqualTo(area(disc(n, 32, 32, 20)));
    // An object of S without an approximation: dropped, or kept with "grow-keep".
    float[][] twoObjects = probabilities(union(disc(n, 32, 32, 20), disc(n, 58, 6, 4)));
    assertThat(RecursiveGrowth.grow(twoObjects, approximation, null, n, n, 1.0)
        .classes().get(58, 6)).isZero();
    LevelSetGrowth.Grown kept = RecursiveGrowth.grow(twoObjects, approximation, null, n, n,
        1.0, true);
    assertThat(kept.classes().get(58, 6)).isEqualTo(1);
    assertThat(kept.instances().max()).isEqualTo(2);
    // An interface the separation head sees splits the foreground.
    float[][] separation = new float[2][n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        separation[1][y * n + x] = x == 45 ? 0.9f : 0.1f;
        separation[0][y * n + x] = 1 - separation[1][y * n + x];
      }
    }
    LevelSetGrowth.Grown cut = RecursiveGrowth.grow(segmentation, approximation, separation, n,
        n, Double.POSITIVE_INFINITY);
    assertThat(cut.classes().get(48, 32)).isZero();
  }

  @Test
  void confidentSeedsKeepTwoBridgedObjectsApart() {
    int n = 64;
    // S: two discs joined by a bridge; the approximation is fairly sure (0.7) of all of S and
    // very sure (0.99) of the two centres only.
    LabelImage s = bridgedDiscs(n);
    float[][] segmentation = probabilities(s);
    LabelImage centres = union(disc(n, 18, 32, 4), disc(n, 46, 32, 4));
    float[][] approximation = new float[2][n * n];
    for (int i = 0; i < n * n; i++) {
      approximation[1][i] = centres.data()[i] > 0 ? 0.99f : s.data()[i] > 0 ? 0.7f : 0.05f;
      approximation[0][i] = 1 - approximation[1][i];
    }
    double inf = Double.POSITIVE_INFINITY;
    LevelSetGrowth.Grown argmax = RecursiveGrowth.grow(segmentation, approximation, null, n, n,
        inf, false, Double.NaN, 0);
    LevelSetGrowth.Grown confident = RecursiveGrowth.grow(segmentation, approximation, null, n,
        n, inf, false, 0.9, 0);
    assertThat(argmax.instances().max()).as("argmax seeds: one bridged object").isEqualTo(1);
    assertThat(confident.instances().max()).isEqualTo(2);
    assertThat(confident.instances().get(18, 32)).isNotEqualTo(confident.instances().get(46, 32));
    assertThat(confident.classes().get(32, 32)).as("the midway pixels are no object").isZero();
    assertThat(confident.classes().get(10, 32)).as("grown to the rim of S").isEqualTo(1);

    // The annotated cores (one per disc) pair off with the confident objects only.
    LabelImage cores = Components.label(centres, Connectivity.EIGHT);
    assertThat(SeedThreshold.agreement(argmax.instances(), cores).f1()).isZero();
    assertThat(SeedThreshold.agreement(confident.instances(), cores).f1()).isEqualTo(1.0);
    assertThat(SeedThreshold.agreement(confident.instances(), cores).coreDice()).isEqualTo(1.0);
    assertThat(SeedThreshold.agreement(argmax.instances(), cores).coreDice())
        .as("two cores in one object").isLessThan(0.7);

    // A stray sure speck on the bridge seeds an object of its own, unless under min-seed.
    for (int y = 31; y < 33; y++) {
      for (int x = 31; x < 33; x++) {
        approximation[1][y * n + x] = 0.99f;
        approximation[0][y * n + x] = 0.01f;
      }
    }
    assertThat(RecursiveGrowth.grow(segmentation, approximation, null, n, n, inf, false,
        0.9, 0).instances().max()).isEqualTo(3);
    assertThat(RecursiveGrowth.grow(segmentation, approximation, null, n, n, inf, false,
        0.9, 10).instances().max()).isEqualTo(2);
  }

  @Test
  void givingBackFillsTheInterfaceAndMidwayBandButKeepsObjectsApart() {
    int n = 64;
    // The segmentation head's foreground: two discs joined by a bridge, and a speck far away
    // that no seed reaches; the separation head calls the bridge's middle columns interface.
    LabelImage fgTruth = bridgedDiscs(n);
    fgTruth.set(60, 5, 1);
    float[][] segmentation = probabilities(fgTruth);
    float[][] separation = new float[2][n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        boolean cut = x >= 30 && x <= 33;
        separation[1][y * n + x] = cut ? 0.9f : 0.05f;
        separation[0][y * n + x] = 1 - separation[1][y * n + x];
      }
    }
    LabelImage centres = union(disc(n, 18, 32, 4), disc(n, 46, 32, 4));
    float[][] approximation = probabilities(centres);
    LabelImage fg = new LabelImage(n, n), seeds = new LabelImage(n, n);
    LabelImage argmax = new LabelImage(n, n);
    RecursiveGrowth.labelPixels(segmentation, approximation, separation, n * n, 0, Double.NaN,
        fg, seeds, argmax);
    LevelSetGrowth.Grown g = RecursiveGrowth.grow(fg, seeds, null, Double.POSITIVE_INFINITY, 0);
    assertThat(g.instances().max()).isEqualTo(2);
    assertThat(g.classes().get(31, 32)).as("interface: nobody's before").isZero();
    int before = area(g.classes());

    RecursiveGrowth.giveBack(g, argmax);
    assertThat(g.instances().max()).as("still two objects").isEqualTo(2);
    int left = g.instances().get(18, 32), right = g.instances().get(46, 32);
    assertThat(left).isNotEqualTo(right).isPositive();
    assertThat(right).isPositive();
    assertThat(g.instances().get(31, 32)).as("nearer the left object").isEqualTo(left);
    assertThat(g.instances().get(33, 32)).as("nearer the right object").isEqualTo(right);
    assertThat(g.classes().get(31, 32)).isEqualTo(1);
    assertThat(g.classes().get(60, 5)).as("a piece no object reaches stays out").isZero();
    assertThat(area(g.classes())).as("the whole bridged foreground, not the speck")
        .isEqualTo(area(fgTruth) - 1).isGreaterThan(before);
    for (int i = 0; i < n * n; i++) {
      assertThat(g.classes().data()[i] > 0).isEqualTo(g.instances().data()[i] > 0);
    }
  }

  @Test
  void clearingKnownBackgroundTouchesOnlyItsZeroPixels() {
    LabelImage label = new LabelImage(4, 1, new int[] {1, 1, 2, 0});
    LabelImage known = new LabelImage(4, 1, new int[] {0, LabelImage.IGNORE, 1, 0});
    assertThat(RecursiveGrowth.clearKnownBackground(label, known).data())
        .containsExactly(0, 1, 2, 0);
    assertThat(RecursiveGrowth.clearKnownBackground(label, null)).isSameAs(label);
  }
}
