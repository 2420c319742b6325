package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

class ComponentsTest {

  /** Flood fill in raster order: obviously right, numbers components by their first pixel. */
  private static int[] oracle(LabelImage mask, Connectivity connectivity) {
    int w = mask.width(), h = mask.height();
    int[] m = mask.data(), out = new int[m.length];
    int next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < m.length; start++) {
      if (m[start] <= 0 || out[start] != 0) {
        continue;
      }
      out[start] = ++next;
      queue.add(start);
      while (!queue.isEmpty()) {
        int p = queue.poll(), x = p % w, y = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            boolean diagonal = dx != 0 && dy != 0;
            if ((dx == 0 && dy == 0) || (diagonal && connectivity == Connectivity.FOUR)) {
              continue;
            }
            int u = x + dx, v = y + dy, q = v * w + u;
            if (u >= 0 && v >= 0 && u < w && v < h && m[q] > 0 && out[q] == 0) {
              out[q] = next;
              queue.add(q);
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void numbersComponentsInRasterOrderOfTheirFirstPixel() {
    // OpenCV's block-based 8-connected labelling scans 2 x 2 blocks: on its own it numbers the
    // pixel at (0, 1) before the one at (4, 0).
    LabelImage m = new LabelImage(6, 2, new int[] {
        0, 0, 0, 0, 1, 0,
        1, 0, 0, 0, 0, 0});
    assertThat(Components.label(m, Connectivity.EIGHT).data())
        .containsExactly(0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0);
    assertThat(Components.label(m, Connectivity.FOUR).data())
        .containsExactly(0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0);
  }

  @Test
  void matchesFloodFillOnRandomMasks() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int w = 1 + rnd.nextInt(40), h = 1 + rnd.nextInt(40);
      double p = rnd.nextDouble();
      LabelImage m = new LabelImage(w, h);
      int[] d = m.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = rnd.nextDouble() < p ? 1 + rnd.nextInt(3) : rnd.nextInt(2) - 1;
      }
      for (Connectivity c : Connectivity.values()) {
        int[] expected = oracle(m, c);
        assertThat(Components.label(m, c).data()).as("trial %d, %s", trial, c)
            .containsExactly(expected);
        assertThat(Components.labelInPlace(m.copy(), c).data()).as("in place: trial %d, %s",
            trial, c).containsExactly(expected);
      }
    }
  }

  @Test
  void labellingInPlaceJoinsPiecesThatMeetFarBelowTheirStarts() {
    // A "U" and a "W": their arms start as separate provisional labels and join in the last
    // row; the comb's teeth join through a long bar; the lone pixel after them is number 3.
    LabelImage m = new LabelImage(9, 4, new int[] {
        1, 0, 1, 0, 1, 0, 1, 0, 1,
        1, 0, 1, 0, 1, 0, 1, 0, 0,
        1, 1, 1, 0, 1, 1, 1, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 1});
    assertThat(Components.labelInPlace(m.copy(), Connectivity.FOUR).data()).containsExactly(
        1, 0, 1, 0, 2, 0, 2, 0, 3,
        1, 0, 1, 0, 2, 0, 2, 0, 0,
        1, 1, 1, 0, 2, 2, 2, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 4);
    LabelImage same = m.copy();
    assertThat(Components.labelInPlace(same, Connectivity.EIGHT)).isSameAs(same);
  }

  @Test
  void areasCountPixelsPerIdAndTheRestAsBackground() {
    LabelImage l = new LabelImage(5, 1, new int[] {0, 3, 3, -1, 1});
    assertThat(Components.areas(l)).containsExactly(2, 1, 0, 2);
  }

  @Test
  void leastObjectAreaIsAQuarterOfTheFifthPercentileOfTheAnnotatedAreas() {
    // 40 objects: one speck of 1 pixel, then areas 100, 104, ..., 256 (a row of width 20)
    java.util.List<LabelImage> images = new java.util.ArrayList<>();
    LabelImage speck = new LabelImage(20, 20);
    speck.set(0, 0, 1);
    images.add(speck);
    for (int k = 0; k < 39; k++) {
      LabelImage one = new LabelImage(20, 20);
      for (int i = 0; i < 100 + 4 * k; i++) {
        one.data()[i] = 5;   // any id
      }
      images.add(one);
    }
    // sorted areas: 1, 100, 104, ...; the 5th percentile is entry 40 / 20 = 2: 104 -> 26
    assertThat(Components.leastObjectArea(images)).isEqualTo(26);
    assertThat(Components.leastObjectArea(java.util.List.of(new LabelImage(3, 3)))).isZero();
  }

  @Test
  void spreadGivesEachDomainPixelTheNearestLabelAlongTheDomainOnly() {
    // Row of 9: label 1 at x=0 and 2 at x=6, the domain everywhere but x=4 (a gap that
    // nothing crosses).
    int[] labels = {1, 0, 0, 0, 0, 0, 2, 0, 0};
    int[] domain = {1, 1, 1, 1, 0, 1, 1, 1, 1};
    Components.spread(labels, domain, 9, 1);
    assertThat(labels).containsExactly(1, 1, 1, 1, 0, 2, 2, 2, 2);

    // Equal distance: the label first in raster order wins the middle pixel.
    int[] tie = {1, 0, 2};
    Components.spread(tie, new int[] {1, 1, 1}, 3, 1);
    assertThat(tie).containsExactly(1, 1, 2);

    // 4-connected steps only: domain pixels that touch the label at a corner, or not at all,
    // with no 4-connected path of domain pixels to it, stay 0.
    int[] grid = {
        3, 0, 0,
        0, 0, 0,
        0, 0, 0};
    int[] dom = {
        1, 0, 1,
        0, 1, 0,
        1, 0, 0};
    Components.spread(grid, dom, 3, 3);
    assertThat(grid).containsExactly(3, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
