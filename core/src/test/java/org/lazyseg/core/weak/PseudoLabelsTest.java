package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

class PseudoLabelsTest {
  private static final int SIZE = 120;

  /** Grey image: dark noise, with bright noisy discs at the given centres and radii. */
  private static FloatImage discsOnNoise(double[][] discs, long seed) {
    Random rnd = new Random(seed);
    FloatImage img = new FloatImage(SIZE, SIZE, 1);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        boolean inside = false;
        for (double[] d : discs) {
          inside |= Math.hypot(x - d[0], y - d[1]) <= d[2];
        }
        double v = (inside ? 0.75 : 0.2) + 0.06 * rnd.nextGaussian();
        img.set(0, x, y, (float) Math.min(1, Math.max(0, v)));
      }
    }
    return img;
  }

  private static LabelImage disc(LabelImage into, double cx, double cy, double r, int v) {
    for (int y = 0; y < into.height(); y++) {
      for (int x = 0; x < into.width(); x++) {
        if (Math.hypot(x - cx, y - cy) <= r) {
          into.set(x, y, v);
        }
      }
    }
    return into;
  }

  private static double dice(LabelImage a, LabelImage b) {
    int[] x = a.data(), y = b.data();
    long both = 0, sum = 0;
    for (int i = 0; i < x.length; i++) {
      boolean p = x[i] > 0, q = y[i] > 0;
      both += p && q ? 1 : 0;
      sum += (p ? 1 : 0) + (q ? 1 : 0);
    }
    return 2.0 * both / sum;
  }

  /** A generous box (margin 1.0) for cores far smaller than their object. */
  private static final PseudoLabels.Settings GENEROUS =
      new PseudoLabels.Settings(1.0, 5, PseudoLabels.DEFAULT_MAX_PIXELS);

  @Test
  void recoversABrightDiscFromASmallCore() {
    FloatImage img = discsOnNoise(new double[][] {{60, 55, 22}}, 1);
    LabelImage truth = disc(new LabelImage(SIZE, SIZE), 60, 55, 22, 1);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 62, 53, 8, 1);
    PseudoLabels.Result r = PseudoLabels.grabCut(img, partial, GENEROUS);
    assertThat(dice(r.classes(), truth)).isGreaterThan(0.9);
    assertThat(r.instances().max()).isEqualTo(1);
  }

  @Test
  void defaultsRecoverADiscWhoseBoxHoldsIt() {
    // Core radius 14 of 22: the default box (core plus max(0.3 x 29, 10) pixels) holds it.
    FloatImage img = discsOnNoise(new double[][] {{60, 55, 22}}, 1);
    LabelImage truth = disc(new LabelImage(SIZE, SIZE), 60, 55, 22, 1);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 61, 54, 14, 1);
    assertThat(dice(PseudoLabels.grabCut(img, partial).classes(), truth)).isGreaterThan(0.9);
  }

  @Test
  void definiteForegroundIsKeptAndOutsideEveryBoxIsBackground() {
    // Two objects, one partial region each, and a bright distractor no box reaches.
    FloatImage img = discsOnNoise(new double[][] {{30, 30, 14}, {85, 80, 18}, {100, 15, 10}}, 2);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 30, 30, 5, 2);
    disc(partial, 85, 80, 7, 1);
    PseudoLabels.Result r = PseudoLabels.grabCut(img, partial, 1.0, 3);
    int[] cls = r.classes().data(), ids = r.instances().data(), p = partial.data();
    // Boxes: the region's bounding box (11 and 15 pixels wide) plus its size on each side.
    int[][] boxes = {{25 - 11, 25 - 11, 35 + 11, 35 + 11}, {78 - 15, 73 - 15, 92 + 15, 87 + 15}};
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int i = y * SIZE + x;
        if (p[i] > 0) {
          assertThat(cls[i]).as("partial pixel %d,%d", x, y).isEqualTo(p[i]);
        }
        boolean inBox = false;
        for (int[] b : boxes) {
          inBox |= x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
        }
        if (!inBox) {
          assertThat(cls[i]).as("pixel %d,%d outside every box", x, y).isZero();
        }
        assertThat(cls[i] > 0).isEqualTo(ids[i] > 0);
      }
    }
    assertThat(r.classes().get(30, 40)).isEqualTo(2);   // grown within the first object
    assertThat(r.classes().get(99, 80)).isEqualTo(1);  // and the second
  }

  @Test
  void strongMaskIsKept() {
    FloatImage img = discsOnNoise(new double[][] {{60, 60, 20}}, 3);
    LabelImage strong = disc(new LabelImage(SIZE, SIZE), 10, 10, 5, 4);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 60, 60, 6, 1);
    assertThat(PseudoLabels.pseudoMask(img, strong, partial, true)).isSameAs(strong);
    LabelImage pseudo = PseudoLabels.pseudoMask(img, null, partial, false, GENEROUS);
    assertThat(pseudo.get(60, 75)).isEqualTo(1);
    assertThat(pseudo.get(10, 10)).isZero();
  }

  @Test
  void tinyRegionInACornerDoesNotFail() {
    FloatImage img = discsOnNoise(new double[][] {{0, 0, 3}}, 4);
    LabelImage partial = new LabelImage(SIZE, SIZE);
    partial.set(0, 0, 1);
    PseudoLabels.Result r = PseudoLabels.grabCut(img, partial, 0, 2);
    assertThat(r.classes().get(0, 0)).isEqualTo(1);
  }

  @Test
  void regionGivenAsIdsStaysOneObject() {
    // The box (region plus its size on each side) must hold the object: a cut object's
    // outer part, marked definite background, teaches GrabCut that its colour is background.
    FloatImage img = discsOnNoise(new double[][] {{60, 60, 14}}, 5);
    LabelImage ids = disc(new LabelImage(SIZE, SIZE), 52, 60, 5, 9);
    disc(ids, 68, 60, 5, 9);                            // a second island of the same core
    PseudoLabels.Result r = PseudoLabels.grabCutRegions(img, ids, null, 1.0, 3);
    assertThat(r.instances().get(60, 60)).isEqualTo(9);
    assertThat(r.instances().get(60, 70)).isEqualTo(9);
    assertThat(r.classes().get(60, 70)).isEqualTo(1);
    LabelImage pseudo = PseudoLabels.pseudoMask(img, null, ids, false);
    assertThat(pseudo.get(60, 70)).isEqualTo(9);
  }

  /** Crops here are up to 120 x 120: a budget of 400 pixels forces the downscaled path. */
  private static final PseudoLabels.Settings DOWNSCALED = new PseudoLabels.Settings(1.0, 3, 400);

  @Test
  void downscaledGrabCutKeepsTheDefiniteLabels() {
    FloatImage img = discsOnNoise(new double[][] {{30, 30, 14}, {85, 80, 18}, {100, 15, 10}}, 6);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 30, 30, 5, 2);
    disc(partial, 85, 80, 7, 1);
    // A one-pixel-wide arm of the core: too thin to survive area averaging on its own.
    for (int x = 30; x <= 36; x++) {
      partial.set(x, 36, 2);
    }
    PseudoLabels.Result r = PseudoLabels.grabCut(img, partial, DOWNSCALED);
    int[] cls = r.classes().data(), p = partial.data();
    int[][] boxes = {{25 - 12, 25 - 12, 36 + 12, 36 + 12}, {78 - 15, 73 - 15, 92 + 15, 87 + 15}};
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int i = y * SIZE + x;
        if (p[i] > 0) {
          assertThat(cls[i]).as("partial pixel %d,%d", x, y).isEqualTo(p[i]);
        }
        boolean inBox = false;
        for (int[] b : boxes) {
          inBox |= x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
        }
        if (!inBox) {
          assertThat(cls[i]).as("pixel %d,%d outside every box", x, y).isZero();
        }
      }
    }
  }

  @Test
  void downscaledGrabCutStillFindsTheObject() {
    FloatImage img = discsOnNoise(new double[][] {{60, 55, 22}}, 1);
    LabelImage truth = disc(new LabelImage(SIZE, SIZE), 60, 55, 22, 1);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 62, 53, 8, 1);
    PseudoLabels.Result r = PseudoLabels.grabCut(img, partial, DOWNSCALED);
    assertThat(dice(r.classes(), truth)).isGreaterThan(0.9);
  }

  @Test
  void aRegionNeverGrowsOutOfItsBox() {
    // One bright object (radius 25); the partial region covers a small part of it and a tight
    // box (no margin beyond the minimum of MIN_BOX_MARGIN pixels) cannot hold the rest.
    FloatImage img = discsOnNoise(new double[][] {{60, 60, 25}}, 7);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 60, 60, 4, 1);
    for (PseudoLabels.Settings s : List.of(new PseudoLabels.Settings(0, 3, 100_000),
        new PseudoLabels.Settings(0, 3, 256))) {
      LabelImage cls = PseudoLabels.grabCut(img, partial, s).classes();
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int m = PseudoLabels.MIN_BOX_MARGIN;
          boolean inBox = x >= 56 - m && x <= 64 + m && y >= 56 - m && y <= 64 + m;
          if (!inBox) {
            assertThat(cls.get(x, y)).as("pixel %d,%d with %s", x, y, s).isZero();
          }
        }
      }
    }
  }

  @Test
  void resultsDoNotDependOnWhatRanBeforeOrOnTheThread() throws Exception {
    FloatImage img = discsOnNoise(new double[][] {{40, 40, 16}, {85, 85, 20}}, 8);
    LabelImage partial = disc(new LabelImage(SIZE, SIZE), 40, 40, 6, 1);
    disc(partial, 85, 85, 8, 1);
    LabelImage first = PseudoLabels.grabCut(img, partial, DOWNSCALED).classes();
    // Another GrabCut in between moves OpenCV's RNG on.
    PseudoLabels.grabCut(discsOnNoise(new double[][] {{60, 60, 20}}, 9),
        disc(new LabelImage(SIZE, SIZE), 60, 60, 6, 1));
    assertThat(PseudoLabels.grabCut(img, partial, DOWNSCALED).classes().data())
        .containsExactly(first.data());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<LabelImage>> runs = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        runs.add(pool.submit(() -> PseudoLabels.grabCut(img, partial, DOWNSCALED).classes()));
      }
      for (Future<LabelImage> f : runs) {
        assertThat(f.get().data()).containsExactly(first.data());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new PseudoLabels.Settings(-1, 3, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PseudoLabels.Settings(1, 0, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PseudoLabels.Settings(1, 3, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPixels");
  }
}
