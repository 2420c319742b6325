package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

class SuperpixelVotingTest {

  /** Three superpixels of 100 pixels each: rows 0-9, 10-19, 20-29 of a 10 x 30 image. */
  private static LabelImage threeBands() {
    LabelImage sp = new LabelImage(10, 30);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 10; x++) {
        sp.set(x, y, 1 + y / 10);
      }
    }
    return sp;
  }

  /** Marks the first {@code n} pixels (row-major) of band {@code band} (0-based) as {@code cls}. */
  private static void predict(LabelImage predicted, int band, int n, int cls) {
    for (int k = 0; k < n; k++) {
      predicted.data()[band * 100 + k] = cls;
    }
  }

  @Test
  void superpixelWithExactlyTwentyPercentBecomesForeground() {
    LabelImage predicted = new LabelImage(10, 30);
    predict(predicted, 0, 20, 1);
    predict(predicted, 1, 19, 1);
    LabelImage voted = SuperpixelVoting.vote(threeBands(), predicted, 0.2);
    assertThat(voted.get(9, 9)).as("20 of 100").isEqualTo(1);
    assertThat(voted.get(0, 0)).isEqualTo(1);
    assertThat(voted.get(0, 10)).as("19 of 100").isEqualTo(0);
    assertThat(voted.get(0, 15)).isEqualTo(0);
    assertThat(voted.get(0, 25)).as("nothing predicted").isEqualTo(0);
  }

  @Test
  void exactShareOfOneFifthReachesThresholdForSmallSuperpixels() {
    LabelImage sp = new LabelImage(5, 1, new int[] {1, 1, 1, 1, 1});
    LabelImage predicted = new LabelImage(5, 1, new int[] {0, 0, 1, 0, 0});
    assertThat(SuperpixelVoting.vote(sp, predicted, 0.2).data()).containsOnly(1);
  }

  @Test
  void severalClassesTakeTheLargestShareIfItReachesTheThreshold() {
    LabelImage predicted = new LabelImage(10, 30);
    predict(predicted, 0, 15, 1);            // band 0: 15% class 1 ...
    for (int k = 50; k < 75; k++) {          // ... and 25% class 2: class 2 wins
      predicted.data()[k] = 2;
    }
    predict(predicted, 1, 15, 1);            // band 1: 15% + 15%, neither reaches 0.2
    for (int k = 150; k < 165; k++) {
      predicted.data()[k] = 2;
    }
    predict(predicted, 2, 30, 2);            // band 2: tie 30% / 30%: the smaller id
    for (int k = 250; k < 280; k++) {
      predicted.data()[k] = 1;
    }
    LabelImage voted = SuperpixelVoting.vote(threeBands(), predicted, 0.2);
    assertThat(voted.get(3, 3)).isEqualTo(2);
    assertThat(voted.get(3, 13)).isEqualTo(0);
    assertThat(voted.get(3, 23)).isEqualTo(1);
  }

  @Test
  void ignoredPredictionsCountAsBackground() {
    LabelImage sp = new LabelImage(5, 1, new int[] {1, 1, 1, 1, 1});
    LabelImage predicted = new LabelImage(5, 1, new int[] {-1, -1, -1, -1, 1});
    assertThat(SuperpixelVoting.vote(sp, predicted, 0.25).data()).containsOnly(0);
    assertThat(SuperpixelVoting.vote(sp, predicted, 0.2).data()).containsOnly(1);
  }

  @Test
  void voteRejectsMismatchedSizes() {
    assertThatThrownBy(() -> SuperpixelVoting.vote(new LabelImage(3, 3), new LabelImage(3, 4), 0.2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void superpixelsCoverEveryPixelWithConsecutiveIds() {
    Random rnd = new Random(7);
    for (int channels : new int[] {1, 3}) {
      FloatImage img = new FloatImage(48, 40, channels);
      float[] d = img.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = rnd.nextFloat();
      }
      LabelImage sp = SuperpixelVoting.superpixels(img, 100, 0.5, 10);
      assertThat(sp.sameSize(48, 40)).isTrue();
      Set<Integer> ids = new HashSet<>();
      for (int v : sp.data()) {
        ids.add(v);
      }
      int n = sp.max();
      assertThat(n).isGreaterThan(1);
      assertThat(ids).hasSize(n).allMatch(v -> v >= 1 && v <= n);
    }
  }

  @Test
  void twoRegionImageSegmentsAtTheBoundary() {
    int w = 40, h = 24;
    FloatImage img = new FloatImage(w, h, 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.set(0, x, y, x < w / 2 ? 0.1f : 0.9f);
      }
    }
    LabelImage sp = SuperpixelVoting.superpixels(img, SuperpixelVoting.DEFAULT_SCALE,
        SuperpixelVoting.DEFAULT_SIGMA, SuperpixelVoting.DEFAULT_MIN_SIZE);
    Set<Integer> left = new HashSet<>(), right = new HashSet<>();
    Set<Integer> leftBulk = new HashSet<>(), rightBulk = new HashSet<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int id = sp.get(x, y);
        (x < w / 2 ? left : right).add(id);
        // Smoothing blends the two columns at the edge; a thin strip there may stand alone.
        if (x < w / 2 - 2) {
          leftBulk.add(id);
        } else if (x >= w / 2 + 2) {
          rightBulk.add(id);
        }
      }
    }
    assertThat(left).as("no superpixel crosses the boundary").doesNotContainAnyElementsOf(right);
    assertThat(leftBulk).hasSize(1);
    assertThat(rightBulk).hasSize(1);
  }

  @Test
  void superpixelsRejectTwoChannelImages() {
    assertThatThrownBy(() -> SuperpixelVoting.superpixels(new FloatImage(4, 4, 2), 100, 0.5, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
