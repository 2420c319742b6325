package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;

class LazyLabelsTest {
  private static final List<FoamImage> FOAM = new ArrayList<>();

  @BeforeAll
  static void generateFoam() {
    FoamGenerator g = new FoamGenerator();
    for (int s = 0; s < 6; s++) {
      FOAM.add(g.generate(1000 + s));
    }
  }

  /** A w x h image with the rectangle [x0, x0 + rw) x [y0, y0 + rh) set to {@code v}. */
  private static LabelImage rect(LabelImage into, int x0, int y0, int rw, int rh, int v) {
    for (int y = y0; y < y0 + rh; y++) {
      for (int x = x0; x < x0 + rw; x++) {
        into.set(x, y, v);
      }
    }
    return into;
  }

  private static int count(LabelImage m) {
    int n = 0;
    for (int v : m.data()) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void partialMaskIsInsideItsInstanceWithItsClass() {
    for (FoamImage f : FOAM) {
      LabelImage partial = LazyLabels.partialMask(f.instances(), f.classes(), new Random(3));
      int[] p = partial.data(), cls = f.classes().data();
      for (int i = 0; i < p.length; i++) {
        if (p[i] > 0) {
          assertThat(p[i]).isEqualTo(cls[i]);
        }
      }
    }
  }

  @Test
  void partialMaskWithoutClassesIsClassOne() {
    FoamImage f = FOAM.get(0);
    LabelImage partial = LazyLabels.partialMask(f.instances(), null, new Random(3));
    assertThat(partial.max()).isEqualTo(1);
  }

  @Test
  void partialMaskIsDeterministicForASeed() {
    FoamImage f = FOAM.get(1);
    assertThat(LazyLabels.partialMask(f.instances(), f.classes(), new Random(9)).data())
        .containsExactly(LazyLabels.partialMask(f.instances(), f.classes(), new Random(9)).data());
  }

  @Test
  void partialMasksAreGenuinelyRough() {
    long inter = 0, partialArea = 0, truthArea = 0;
    for (int s = 0; s < FOAM.size(); s++) {
      FoamImage f = FOAM.get(s);
      LabelImage partial = LazyLabels.partialMask(f.instances(), f.classes(), new Random(s));
      int[] p = partial.data(), t = f.classes().data();
      for (int i = 0; i < p.length; i++) {
        inter += p[i] > 0 && t[i] > 0 ? 1 : 0;
        partialArea += p[i] > 0 ? 1 : 0;
        truthArea += t[i] > 0 ? 1 : 0;
      }
    }
    double dice = 2.0 * inter / (partialArea + truthArea);
    assertThat(dice).isBetween(0.3, 0.85);
  }

  @Test
  void noSizeableInstanceLosesAllItsPixels() {
    for (int s = 0; s < FOAM.size(); s++) {
      FoamImage f = FOAM.get(s);
      LabelImage partial = LazyLabels.partialMask(f.instances(), f.classes(), new Random(s));
      int n = f.instances().max();
      int[] area = new int[n + 1], kept = new int[n + 1];
      int[] ids = f.instances().data(), p = partial.data();
      for (int i = 0; i < ids.length; i++) {
        area[ids[i]]++;
        kept[ids[i]] += p[i] > 0 ? 1 : 0;
      }
      for (int id = 1; id <= n; id++) {
        if (area[id] > 30) {
          assertThat(kept[id]).as("instance %d of image %d", id, s).isPositive();
        }
      }
    }
  }

  @Test
  void coreIsNotAShrunkenCopy() {
    // A disc of radius 20: without perturbation the core would be a concentric disc, so each
    // ring of pixels (rounded radius) would be kept whole or dropped whole.
    LabelImage disc = new LabelImage(64, 64);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        disc.set(x, y, Math.hypot(x - 32, y - 32) <= 20 ? 1 : 0);
      }
    }
    LabelImage partial = LazyLabels.partialMask(disc, null, new Random(4));
    int[] radiusKept = new int[21];
    int[] radiusAll = new int[21];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int r = (int) Math.round(Math.hypot(x - 32, y - 32));
        if (r <= 20) {
          radiusAll[r]++;
          radiusKept[r] += partial.get(x, y) > 0 ? 1 : 0;
        }
      }
    }
    // Some ring is kept in part only: the outline of the core is not a circle.
    boolean partlyKeptRing = false;
    for (int r = 0; r <= 20; r++) {
      partlyKeptRing |= radiusKept[r] > 0 && radiusKept[r] < radiusAll[r];
    }
    assertThat(partlyKeptRing).isTrue();
    assertThat(count(partial)).isPositive().isLessThan(count(disc));
  }

  @Test
  void scribblesMarkBothSidesOfATouchingInterface() {
    // Two 3 x 3 squares side by side: id 1 on columns 1..3, id 2 on columns 4..6, rows 1..3.
    // They touch between columns 3 and 4, so the scribble is those two columns, rows 1..3:
    // 6 pixels. Their other sides meet background and get nothing.
    LabelImage img = rect(rect(new LabelImage(8, 5), 1, 1, 3, 3, 1), 4, 1, 3, 3, 2);
    LabelImage s = LazyLabels.scribbles(img, 1);
    assertThat(count(s)).isEqualTo(6);
    for (int y = 1; y <= 3; y++) {
      assertThat(s.get(3, y)).isEqualTo(1);
      assertThat(s.get(4, y)).isEqualTo(1);
    }
  }

  @Test
  void thickerScribblesGrowInsideObjectsOnly() {
    // Thickness 2 adds one pixel each way: columns 2..5 of rows 1..3 = 12 pixels; the rows
    // 0 and 4 it would reach are background and stay unmarked.
    LabelImage img = rect(rect(new LabelImage(8, 5), 1, 1, 3, 3, 1), 4, 1, 3, 3, 2);
    LabelImage s = LazyLabels.scribbles(img, 2);
    assertThat(count(s)).isEqualTo(12);
    for (int x = 0; x < 8; x++) {
      assertThat(s.get(x, 0)).isZero();
      assertThat(s.get(x, 4)).isZero();
    }
  }

  @Test
  void anObjectTouchingOnlyBackgroundHasNoScribbles() {
    LabelImage img = rect(new LabelImage(9, 9), 2, 2, 5, 5, 1);
    assertThat(count(LazyLabels.scribbles(img, 1))).isZero();
  }

  @Test
  void sizeOfAFiveByFiveSquareIsSix() {
    // The centre (4, 4) of the square on columns/rows 2..6 is 3 steps (L-inf) from the
    // nearest background pixel, the ring at columns/rows 1 and 7: d = 3, g = 2 * 3 = 6.
    assertThat(LazyLabels.size(rect(new LabelImage(9, 9), 2, 2, 5, 5, 1))).isEqualTo(6);
  }

  @Test
  void sizeCountsPixelsOutsideTheImageAsBackground() {
    // The same 5 x 5 square in the corner: the image border plays the background ring.
    assertThat(LazyLabels.size(rect(new LabelImage(9, 9), 0, 0, 5, 5, 1))).isEqualTo(6);
    // A 4 x 4 square: the four middle pixels are 2 steps from background, g = 4.
    assertThat(LazyLabels.size(rect(new LabelImage(9, 9), 2, 2, 4, 4, 1))).isEqualTo(4);
    assertThat(LazyLabels.size(new LabelImage(9, 9))).isZero();
  }

  @Test
  void tagsAreIndexedByClassId() {
    LabelImage cls = rect(new LabelImage(6, 6), 1, 1, 2, 2, 2);
    assertThat(LazyLabels.tags(cls, 3)).containsExactly(true, false, true, false);
  }

  @Test
  void strongSubsetHasTheRoundedSizeAndIsDeterministic() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add("img" + i);
    }
    List<String> subset = LazyLabels.strongSubset(ids, 0.25, 11);
    assertThat(subset).hasSize(3).isSubsetOf(ids).doesNotHaveDuplicates();
    assertThat(LazyLabels.strongSubset(ids, 0.25, 11)).isEqualTo(subset);
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(2));
    assertThat(LazyLabels.strongSubset(shuffled, 0.25, 11)).containsExactlyInAnyOrderElementsOf(subset);
    assertThat(LazyLabels.strongSubset(ids, 0.01, 11)).hasSize(1);
    assertThat(LazyLabels.strongSubset(ids, 0.0, 11)).isEmpty();
    assertThat(LazyLabels.strongSubset(ids, 1.0, 11)).isEqualTo(ids);
  }
}
