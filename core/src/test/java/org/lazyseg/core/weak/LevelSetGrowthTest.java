package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

class LevelSetGrowthTest {
  private static final double HUGE = 1e9;

  /** Sets every pixel within {@code r} of (cx, cy) to {@code v}. */
  private static LabelImage disc(LabelImage into, double cx, double cy, double r, int v) {
    for (int y = 0; y < into.height(); y++) {
      for (int x = 0; x < into.width(); x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
          into.set(x, y, v);
        }
      }
    }
    return into;
  }

  private static LabelImage rect(LabelImage into, int x0, int y0, int rw, int rh, int v) {
    for (int y = y0; y < y0 + rh; y++) {
      for (int x = x0; x < x0 + rw; x++) {
        into.set(x, y, v);
      }
    }
    return into;
  }

  private static int[] binary(LabelImage m) {
    return m.foreground().data();
  }

  /** Random blobs: a union of {@code n} random discs. */
  private static LabelImage blobs(int w, int h, int n, double rMin, double rMax, Random rnd) {
    LabelImage m = new LabelImage(w, h);
    for (int k = 0; k < n; k++) {
      disc(m, rnd.nextDouble() * w, rnd.nextDouble() * h,
          rMin + (rMax - rMin) * rnd.nextDouble(), 1);
    }
    return m;
  }

  @Test
  void lambdaZeroReturnsTheSeed() {
    Random rnd = new Random(1);
    LabelImage s = blobs(80, 60, 6, 6, 15, rnd);
    LabelImage a = blobs(80, 60, 3, 2, 5, rnd);
    assertThat(LevelSetGrowth.grow(a, s, 0).data()).containsExactly(binary(a));
  }

  @Test
  void hugeLambdaReturnsSeedUnitedWithForeground() {
    LabelImage s = disc(new LabelImage(90, 70), 40, 30, 25, 1);
    rect(s, 10, 5, 30, 12, 1);
    LabelImage a = disc(new LabelImage(90, 70), 45, 35, 4, 1);
    int[] grown = LevelSetGrowth.grow(a, s, HUGE).data();
    int[] expected = binary(s);
    int[] ad = a.data();
    for (int i = 0; i < expected.length; i++) {
      expected[i] |= ad[i] > 0 ? 1 : 0;
    }
    assertThat(grown).containsExactly(expected);
  }

  @Test
  void seedOutsideForegroundIsKept() {
    LabelImage s = disc(new LabelImage(60, 60), 30, 30, 10, 1);
    LabelImage a = rect(new LabelImage(60, 60), 25, 25, 30, 3, 1);
    int[] grown = LevelSetGrowth.grow(a, s, 0.5).data();
    int[] ad = a.data();
    for (int i = 0; i < ad.length; i++) {
      if (ad[i] > 0) {
        assertThat(grown[i]).isEqualTo(1);
      }
      if (grown[i] > 0 && ad[i] == 0) {
        assertThat(s.data()[i]).as("grown pixel %d outside S", i).isEqualTo(1);
      }
    }
  }

  @Test
  void growthIsMonotoneInLambda() {
    double[] lambdas = {0, 0.05, 0.1, 0.3, 0.5, 1, 2, 5, 20, HUGE};
    for (int trial = 0; trial < 5; trial++) {
      Random rnd = new Random(100 + trial);
      LabelImage s = blobs(100, 80, 8, 5, 18, rnd);
      LabelImage a = blobs(100, 80, 6, 1, 6, rnd);
      int[] previous = null;
      int[] previousInstances = null;
      for (double lambda : lambdas) {
        int[] grown = LevelSetGrowth.grow(a, s, lambda).data();
        int[] instances = binary(LevelSetGrowth.growInstances(a, s, lambda));
        if (previous != null) {
          for (int i = 0; i < grown.length; i++) {
            assertThat(grown[i]).as("pixel %d at lambda %s", i, lambda)
                .isGreaterThanOrEqualTo(previous[i]);
            assertThat(instances[i]).as("instance pixel %d at lambda %s", i, lambda)
                .isGreaterThanOrEqualTo(previousInstances[i]);
          }
        }
        previous = grown;
        previousInstances = instances;
      }
    }
  }

  @Test
  void discGrowsToTheInterpolatedRadius() {
    int size = 141;
    double c = 70, r0 = 10, r = 50;
    LabelImage a = disc(new LabelImage(size, size), c, c, r0, 1);
    LabelImage s = disc(new LabelImage(size, size), c, c, r, 1);
    for (double lambda : new double[] {0.1, 0.3, 0.5, 1, 3}) {
      double expected = (r0 + lambda * r) / (1 + lambda);
      LabelImage grown = LevelSetGrowth.grow(a, s, lambda);
      for (int k = 0; k < 16; k++) {
        double angle = 2 * Math.PI * k / 16;
        assertThat(radiusAlong(grown, c, angle)).as("lambda %s, angle %s", lambda, angle)
            .isCloseTo(expected, within(1.0));
      }
    }
  }

  /**
   * The distance from the centre of the farthest pixel (by its centre) in the region that
   * lies on the ray, walking out in small steps until the ray leaves the region.
   */
  private static double radiusAlong(LabelImage region, double c, double angle) {
    double last = 0;
    for (double t = 0; t < region.width(); t += 0.05) {
      int x = (int) Math.round(c + t * Math.cos(angle));
      int y = (int) Math.round(c + t * Math.sin(angle));
      if (region.get(x, y) == 0) {
        break;
      }
      last = Math.hypot(x - c, y - c);
    }
    return last;
  }

  @Test
  void twoSeedsInOneBlobNeverMerge() {
    // Seed gaps of even and odd width: an odd one puts the midpoint between two pixels.
    for (int gap : new int[] {30, 31}) {
      LabelImage s = rect(new LabelImage(120, 50), 10, 10, 100, 30, 1);
      LabelImage a = rect(new LabelImage(120, 50), 20, 22, 5, 5, 1);
      rect(a, 25 + gap, 22, 5, 5, 1);
      for (double lambda : new double[] {0.5, HUGE}) {
        LabelImage grown = LevelSetGrowth.growInstances(a, s, lambda);
        assertThat(grown.max()).isEqualTo(2);
        assertThat(Components.countIds(Components.label(grown, Connectivity.EIGHT)))
            .as("8-connected components, gap %d, lambda %s", gap, lambda).isEqualTo(2);
        assertNoTouching(grown);
      }
      // With a huge lambda the blob is filled except for the midway band.
      int[] g = LevelSetGrowth.growInstances(a, s, HUGE).data();
      int filled = 0;
      for (int v : g) {
        filled += v > 0 ? 1 : 0;
      }
      assertThat(filled).isGreaterThanOrEqualTo(100 * 30 - 2 * 30);
    }
  }

  /** No pixel of one instance is an 8-neighbour of a pixel of another. */
  private static void assertNoTouching(LabelImage ids) {
    for (int y = 0; y < ids.height(); y++) {
      for (int x = 0; x < ids.width(); x++) {
        int v = ids.get(x, y);
        if (v <= 0) {
          continue;
        }
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx, ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < ids.width() && ny < ids.height()) {
              int u = ids.get(nx, ny);
              assertThat(u == 0 || u == v).as("%d touches %d at %d,%d", v, u, x, y).isTrue();
            }
          }
        }
      }
    }
  }

  @Test
  void randomSeedsInRandomBlobsNeverTouch() {
    for (int trial = 0; trial < 5; trial++) {
      Random rnd = new Random(200 + trial);
      LabelImage s = blobs(120, 90, 6, 10, 25, rnd);
      LabelImage a = blobs(120, 90, 10, 1, 4, rnd);
      LabelImage grown = LevelSetGrowth.growInstances(a, s, HUGE);
      assertNoTouching(grown);
      assertThat(grown.max()).isEqualTo(Components.label(a, Connectivity.EIGHT).max());
    }
  }

  @Test
  void componentWithoutSeedIsDropped() {
    LabelImage s = disc(new LabelImage(100, 50), 25, 25, 15, 1);
    disc(s, 75, 25, 15, 1);
    LabelImage a = disc(new LabelImage(100, 50), 25, 25, 3, 1);
    LabelImage grown = LevelSetGrowth.growInstances(a, s, HUGE);
    assertThat(grown.get(75, 25)).isZero();
    assertThat(grown.get(25, 12)).isEqualTo(1);
  }

  @Test
  void instancesMatchSingleObjectGrowthForOneSeed() {
    Random rnd = new Random(7);
    LabelImage s = blobs(90, 90, 1, 20, 30, rnd);
    LabelImage a = new LabelImage(90, 90);
    int[] sd = s.data();
    for (int i = 0; i < sd.length; i++) {
      if (sd[i] > 0) {
        a.data()[i] = 1;
        break;
      }
    }
    for (double lambda : new double[] {0.2, 1, 4}) {
      assertThat(binary(LevelSetGrowth.growInstances(a, s, lambda)))
          .containsExactly(LevelSetGrowth.grow(a, s, lambda).data());
    }
  }

  @Test
  void multiClassKeepsEachSeedsClass() {
    LabelImage s = disc(new LabelImage(160, 60), 30, 30, 20, 1);
    rect(s, 70, 10, 80, 40, 1);                         // one blob holding two seeds
    LabelImage seeds = disc(new LabelImage(160, 60), 30, 30, 4, 2);
    rect(seeds, 80, 25, 5, 5, 1);
    rect(seeds, 135, 25, 5, 5, 3);
    LevelSetGrowth.Grown g = LevelSetGrowth.growClasses(seeds, s, HUGE);
    assertThat(g.classes().get(30, 12)).isEqualTo(2);
    assertThat(g.classes().get(72, 12)).isEqualTo(1);
    assertThat(g.classes().get(148, 48)).isEqualTo(3);
    assertThat(g.instances().max()).isEqualTo(3);
    int[] cls = g.classes().data(), ids = g.instances().data();
    for (int i = 0; i < cls.length; i++) {
      assertThat(cls[i] > 0).isEqualTo(ids[i] > 0);
    }
    assertNoTouching(g.instances());
  }

  @Test
  void unionWithOriginalKeepsAnnotatedPixelsAndClasses() {
    LabelImage s = disc(new LabelImage(80, 40), 20, 20, 12, 1);
    LabelImage original = disc(new LabelImage(80, 40), 20, 20, 3, 2);
    rect(original, 60, 15, 4, 4, 1);                    // annotated, but S missed it
    LabelImage seeds = disc(new LabelImage(80, 40), 20, 20, 3, 2);
    LevelSetGrowth.Grown g = LevelSetGrowth.growClasses(seeds, s, 1, original);
    assertThat(g.classes().get(61, 16)).isEqualTo(1);
    assertThat(g.instances().get(61, 16)).isEqualTo(2);
    assertThat(g.classes().get(20, 15)).isEqualTo(2);   // radius 5 < (3 + 12) / 2
    LabelImage binaryGrown = LevelSetGrowth.grow(seeds, s, 1, original);
    assertThat(binaryGrown.get(61, 16)).isEqualTo(1);
  }

  @Test
  void labelledSeedKeepsItsIslandsTogether() {
    LabelImage s = rect(new LabelImage(120, 50), 10, 10, 100, 30, 1);
    LabelImage ids = rect(new LabelImage(120, 50), 20, 22, 5, 5, 7);
    rect(ids, 50, 22, 5, 5, 7);                        // a second island of the same object
    rect(ids, 95, 22, 5, 5, 3);
    LabelImage grown = LevelSetGrowth.growLabelledSeeds(ids, s, HUGE);
    assertThat(grown.get(37, 24)).isEqualTo(7);         // between the two islands
    assertThat(grown.get(105, 35)).isEqualTo(3);
    assertThat(Components.countIds(grown)).isEqualTo(2);
    assertNoTouching(grown);
  }
}
