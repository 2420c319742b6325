package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;

class FarBackgroundTest {
  private static final int IGNORE = LabelImage.IGNORE;

  private static LabelImage rect(LabelImage into, int x0, int y0, int rw, int rh, int v) {
    for (int y = y0; y < y0 + rh; y++) {
      for (int x = x0; x < x0 + rw; x++) {
        into.set(x, y, v);
      }
    }
    return into;
  }

  @Test
  void aSquareCoreReachesItsRadiusTimesReachPlusMargin() {
    // 5 x 5 core: the centre is 3 pixels from the nearest pixel outside, so r = 3 and with
    // reach 2, margin 1 the object may extend 7 pixels beyond the core.
    LabelImage core = rect(new LabelImage(60, 45), 20, 20, 5, 5, 1);
    LabelImage t = FarBackground.target(core, null, 2, 1);
    assertThat(t.get(22, 22)).isEqualTo(1);
    assertThat(t.get(24 + 7, 22)).isEqualTo(IGNORE);
    assertThat(t.get(24 + 8, 22)).isEqualTo(0);
    assertThat(t.get(20 - 7, 22)).isEqualTo(IGNORE);
    assertThat(t.get(20 - 8, 22)).isEqualTo(0);
    // diagonal from the corner (24, 24): (29, 29) is 7.07 away, (28, 29) 6.40
    assertThat(t.get(29, 29)).isEqualTo(0);
    assertThat(t.get(28, 29)).isEqualTo(IGNORE);
    assertThat(t.get(0, 0)).isEqualTo(0);
  }

  @Test
  void eachObjectReachesAsFarAsItsOwnCoreSays() {
    LabelImage cores = new LabelImage(120, 40);
    rect(cores, 10, 18, 3, 3, 1);     // r = 2: reaches 2 * 2 = 4
    rect(cores, 60, 10, 21, 21, 2);   // r = 11: reaches 22
    LabelImage t = FarBackground.target(cores, null, 2, 0);
    assertThat(t.get(12 + 4, 19)).isEqualTo(IGNORE);
    assertThat(t.get(12 + 5, 19)).isEqualTo(0);
    assertThat(t.get(80 + 22, 20)).isEqualTo(IGNORE);
    assertThat(t.get(80 + 23, 20)).isEqualTo(0);
  }

  @Test
  void islandsOfOneObjectShareTheLargestRadius() {
    LabelImage cores = new LabelImage(100, 30);
    rect(cores, 10, 10, 9, 9, 4);     // r = 5
    rect(cores, 60, 14, 1, 1, 4);     // a one-pixel island of the same object
    LabelImage t = FarBackground.target(cores, null, 1, 0);
    assertThat(t.get(60 + 5, 14)).isEqualTo(IGNORE);
    assertThat(t.get(60 + 6, 14)).isEqualTo(0);
    // as an object of its own the island would reach 1 pixel only
    LabelImage alone = rect(new LabelImage(100, 30), 60, 14, 1, 1, 1);
    assertThat(FarBackground.target(alone, null, 1, 0).get(62, 14)).isEqualTo(0);
  }

  @Test
  void coresCarryTheirClassAndAnImageWithoutCoresIsBackground() {
    LabelImage cores = rect(new LabelImage(40, 40), 5, 5, 4, 4, 1);
    rect(cores, 25, 25, 4, 4, 2);
    LabelImage classes = rect(rect(new LabelImage(40, 40), 5, 5, 4, 4, 3), 25, 25, 4, 4, 0);
    LabelImage t = FarBackground.target(cores, classes, 1, 0);
    assertThat(t.get(6, 6)).isEqualTo(3);
    assertThat(t.get(26, 26)).isEqualTo(1);   // class 0 under a core counts as class 1
    assertThat(FarBackground.target(new LabelImage(8, 8), null).data()).containsOnly(0);
  }

  /** Brute force over every pixel pair: the oracle for the cropped distance transforms. */
  @Test
  void matchesBruteForceOnSimulatedCores() {
    FoamImage f = new FoamGenerator().generate(77);
    // an 80 x 80 corner keeps the brute force quick; objects cut by its edge stay objects
    LabelImage instances = f.instances().crop(0, 0, 80, 80, 0);
    LabelImage partial = LazyLabels.partialMask(instances, null, new Random(5));
    LabelImage ids = new LabelImage(partial.width(), partial.height());
    for (int i = 0; i < ids.data().length; i++) {
      ids.data()[i] = partial.data()[i] > 0 ? instances.data()[i] : 0;
    }
    double reach = 1.5, margin = 2;
    LabelImage t = FarBackground.target(ids, null, reach, margin);
    int w = ids.width(), h = ids.height(), maxId = ids.max();
    double[] radius = new double[maxId + 1];
    for (int p = 0; p < w * h; p++) {
      int id = ids.data()[p];
      if (id <= 0) {
        continue;
      }
      double nearestOutside = Double.POSITIVE_INFINITY;
      for (int q = 0; q < w * h; q++) {
        if (ids.data()[q] != id) {
          nearestOutside = Math.min(nearestOutside, Math.hypot(p % w - q % w, p / w - q / w));
        }
      }
      radius[id] = Math.max(radius[id], nearestOutside);
    }
    int checked = 0;
    for (int p = 0; p < w * h; p += 7) {
      int expected = ids.data()[p] > 0 ? 1 : 0;
      for (int q = 0; q < w * h && expected == 0; q++) {
        int id = ids.data()[q];
        if (id > 0 && Math.hypot(p % w - q % w, p / w - q / w)
            <= reach * radius[id] + margin + 1e-3) {
          expected = IGNORE;
        }
      }
      assertThat(t.data()[p]).as("pixel %d", p).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isGreaterThan(900);
  }

  @Test
  void simulatedDiscCoresCallFewObjectPixelsBackgroundAndMoreReachCallsFewer() {
    // separate discs (a foam fills its image: no pixel there is far from every object)
    LabelImage instances = new LabelImage(240, 200);
    int[][] discs = {{50, 50, 20}, {170, 60, 12}, {60, 150, 30}, {180, 160, 8}};
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 240; x++) {
        for (int d = 0; d < discs.length; d++) {
          if (Math.hypot(x - discs[d][0], y - discs[d][1]) <= discs[d][2]) {
            instances.set(x, y, d + 1);
          }
        }
      }
    }
    int objectPixels = 0;
    for (int v : instances.data()) {
      objectPixels += v > 0 ? 1 : 0;
    }
    int wrongAtDefaults = 0;
    for (int seed = 0; seed < 8; seed++) {
      LabelImage partial = LazyLabels.partialMask(instances, null, new Random(seed));
      LabelImage ids = new LabelImage(240, 200);
      for (int i = 0; i < ids.data().length; i++) {
        ids.data()[i] = partial.data()[i] > 0 ? instances.data()[i] : 0;
      }
      LabelImage t = FarBackground.target(ids, null);
      LabelImage wider = FarBackground.target(ids, null, 2 * FarBackground.REACH,
          FarBackground.MARGIN);
      LabelImage generous = FarBackground.target(ids, null, 40, FarBackground.MARGIN);
      int labelled = 0;
      for (int i = 0; i < t.data().length; i++) {
        boolean object = instances.data()[i] > 0;
        if (object) {
          wrongAtDefaults += t.data()[i] == 0 ? 1 : 0;
          assertThat(generous.data()[i]).as("seed %d pixel %d", seed, i).isNotZero();
        } else {
          labelled += t.data()[i] == 0 ? 1 : 0;
        }
        if (wider.data()[i] == 0) {
          assertThat(t.data()[i]).as("monotone in reach, pixel %d", i).isZero();
        }
      }
      assertThat(labelled).as("seed %d", seed).isGreaterThan(240 * 200 / 4);
    }
    // a core the simulator shrank to the object's deepest pixels (its threshold perturbed
    // to 1) says little about its object's size: those objects are the misses
    System.out.println("far background: object pixels called background at the defaults "
        + wrongAtDefaults / (8.0 * objectPixels));
    assertThat(wrongAtDefaults).isLessThan(8 * objectPixels / 20);
  }

  @Test
  void refusesMismatchedSizesAndNegativeReach() {
    LabelImage cores = new LabelImage(10, 10);
    assertThatThrownBy(() -> FarBackground.target(cores, new LabelImage(9, 10), 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match");
    assertThatThrownBy(() -> FarBackground.target(cores, null, -1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
  }

  @Test
  void simulatedPartialMasksMarkEveryObjectAndAMissingCoreIsSeen() {
    FoamImage f = new FoamGenerator().generate(78);
    LabelImage instances = f.instances();
    LabelImage partial = LazyLabels.partialMask(instances, null, new Random(6));
    assertThat(FarBackground.marksEveryObject(instances, partial)).isTrue();
    // the annotator skips object 2: its core is erased
    LabelImage skipped = partial.copy();
    for (int i = 0; i < skipped.data().length; i++) {
      if (instances.data()[i] == 2) {
        skipped.data()[i] = 0;
      }
    }
    assertThat(FarBackground.marksEveryObject(instances, skipped)).isFalse();
    // no objects: nothing to miss
    assertThat(FarBackground.marksEveryObject(new LabelImage(8, 8), new LabelImage(8, 8)))
        .isTrue();
    assertThatThrownBy(() -> FarBackground.marksEveryObject(instances, new LabelImage(3, 3)))
        .hasMessageContaining("does not match");
  }
}
