package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

public class ObjectSizeTest {

  /** Brute force: flip each pixel, recompute the whole transform. */
  /** Oracle: one full transform per flipped pixel (also timed by WeakCoreBenchmark). */
  public static int[] bruteForceFlips(LabelImage mask) {
    int[] d = mask.data();
    int[] out = new int[d.length];
    LabelImage flipped = mask.copy();
    int[] f = flipped.data();
    for (int i = 0; i < d.length; i++) {
      f[i] = d[i] > 0 ? 0 : 1;
      out[i] = LazyLabels.size(flipped);
      f[i] = d[i];
    }
    return out;
  }

  public static LabelImage filledEllipse(int w, int h) {
    LabelImage m = new LabelImage(w, h);
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, rx = w * 0.4, ry = h * 0.3;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (x - cx) / rx, v = (y - cy) / ry;
        m.set(x, y, u * u + v * v <= 1 ? 1 : 0);
      }
    }
    return m;
  }

  private static LabelImage random(Random rnd, int w, int h, double density) {
    LabelImage m = new LabelImage(w, h);
    int[] d = m.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextDouble() < density ? 1 : 0;
    }
    return m;
  }

  /** Random rectangles: deep regions, so flips that change g are common. */
  private static LabelImage randomRectangles(Random rnd, int w, int h) {
    LabelImage m = new LabelImage(w, h);
    int count = 1 + rnd.nextInt(3);
    for (int k = 0; k < count; k++) {
      int x0 = rnd.nextInt(w), y0 = rnd.nextInt(h);
      int x1 = x0 + rnd.nextInt(w - x0 + 1), y1 = y0 + rnd.nextInt(h - y0 + 1);
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          m.set(x, y, 1);
        }
      }
    }
    // A few holes and specks.
    int[] d = m.data();
    for (int k = rnd.nextInt(4); k > 0; k--) {
      int i = rnd.nextInt(d.length);
      d[i] = 1 - d[i];
    }
    return m;
  }

  @Test
  void lone5x5SquareHasSize6() {
    LabelImage m = new LabelImage(9, 9);
    for (int y = 2; y < 7; y++) {
      for (int x = 2; x < 7; x++) {
        m.set(x, y, 1);
      }
    }
    assertThat(ObjectSize.size(m)).isEqualTo(6);
    int[] flips = ObjectSize.sizesAfterSingleFlips(m);
    assertThat(flips[4 * 9 + 4]).as("centre removed").isEqualTo(2);
    // The centre is at distance 2 from every pixel of the square's rim.
    assertThat(flips[2 * 9 + 2]).as("corner removed").isEqualTo(4);
    assertThat(flips[4 * 9 + 1]).as("pixel added beside the square").isEqualTo(6);
    assertThat(flips[0]).as("far background pixel added").isEqualTo(6);
  }

  @Test
  void emptyMaskFlipsToSingletonsOfSize2() {
    int[] flips = ObjectSize.sizesAfterSingleFlips(new LabelImage(4, 3));
    assertThat(flips).containsOnly(2);
  }

  @Test
  void fullMaskWithOneHoleGrowsToTheFullSquare() {
    LabelImage m = new LabelImage(7, 7);
    java.util.Arrays.fill(m.data(), 1);
    m.set(3, 3, 0);
    int[] flips = ObjectSize.sizesAfterSingleFlips(m);
    assertThat(flips[3 * 7 + 3]).isEqualTo(8);
    assertThat(flips).isEqualTo(bruteForceFlips(m));
  }

  @Test
  void ignoreCountsAsBackground() {
    LabelImage m = new LabelImage(5, 5);
    java.util.Arrays.fill(m.data(), 1);
    m.set(2, 2, LabelImage.IGNORE);
    assertThat(ObjectSize.size(m)).isEqualTo(2);
    assertThat(ObjectSize.sizesAfterSingleFlips(m)[12]).isEqualTo(6);
  }

  @Test
  void matchesBruteForceOnRandomSmallMasks() {
    Random rnd = new Random(4);
    for (int trial = 0; trial < 900; trial++) {
      int w = 1 + rnd.nextInt(12), h = 1 + rnd.nextInt(12);
      LabelImage m;
      switch (trial % 5) {
        case 0 -> m = random(rnd, w, h, 0.0);
        case 1 -> m = random(rnd, w, h, 1.0);
        case 2 -> m = randomRectangles(rnd, w, h);
        default -> m = random(rnd, w, h, 0.5 + 0.5 * rnd.nextDouble());
      }
      if (trial % 5 == 0 && trial % 2 == 0 && w * h > 1) {
        m.data()[rnd.nextInt(w * h)] = 1;   // a lone pixel
      }
      assertThat(ObjectSize.sizesAfterSingleFlips(m))
          .as("mask %d: %s %s", trial, m, java.util.Arrays.toString(m.data()))
          .isEqualTo(bruteForceFlips(m));
    }
  }

  @Test
  void matchesBruteForceOnEllipse() {
    LabelImage m = filledEllipse(40, 31);
    assertThat(ObjectSize.sizesAfterSingleFlips(m)).isEqualTo(bruteForceFlips(m));
  }

  /**
   * On an image too large for the brute force over every pixel, sampled flips still agree
   * with the size of the flipped mask. (The speed of the two is benchmarked in the
   * experiments module, WeakCoreBenchmark, not asserted here.)
   */
  @Test
  void matchesTheFlippedMasksSizeAtSampledPixelsOfALargeEllipse() {
    LabelImage big = filledEllipse(256, 256);
    int[] flips = ObjectSize.sizesAfterSingleFlips(big);
    java.util.Random rnd = new java.util.Random(7);
    for (int k = 0; k < 40; k++) {
      int i = rnd.nextInt(flips.length);
      LabelImage flipped = big.copy();
      flipped.data()[i] = 1 - flipped.data()[i];
      assertThat(flips[i]).as("pixel %d", i).isEqualTo(ObjectSize.size(flipped));
    }
  }
}
