package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.LabelImage;

class SizeGradientTest {

  /**
   * g by definition, independent of ObjectSize: d_i = Chebyshev distance to the nearest
   * background pixel, pixels outside the image being background; g = 2 max d.
   */
  private static int bruteSize(int bits, int w, int h) {
    int best = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if ((bits >> (y * w + x) & 1) == 0) {
          continue;
        }
        int d = Math.min(Math.min(x + 1, y + 1), Math.min(w - x, h - y));
        for (int v = 0; v < h; v++) {
          for (int u = 0; u < w; u++) {
            if ((bits >> (v * w + u) & 1) == 0) {
              d = Math.min(d, Math.max(Math.abs(u - x), Math.abs(v - y)));
            }
          }
        }
        best = Math.max(best, d);
      }
    }
    return 2 * best;
  }

  /** d/dp_i E[(g(B) - s)^2] by summing over all 2^V masks. */
  private static double[] exactGradient(float[] p, int w, int h, double s) {
    int v = w * h;
    double[] loss = new double[1 << v];
    for (int bits = 0; bits < 1 << v; bits++) {
      double g = bruteSize(bits, w, h);
      loss[bits] = (g - s) * (g - s);
    }
    double[] grad = new double[v];
    for (int i = 0; i < v; i++) {
      for (int bits = 0; bits < 1 << v; bits++) {
        if ((bits >> i & 1) != 0) {
          continue;
        }
        double prob = 1; // probability of the other pixels' values
        for (int j = 0; j < v; j++) {
          if (j != i) {
            prob *= (bits >> j & 1) != 0 ? p[j] : 1 - p[j];
          }
        }
        grad[i] += prob * (loss[bits | 1 << i] - loss[bits]);
      }
    }
    return grad;
  }

  private static void assertMatchesExpectation(float[] p, int w, int h, double s, int samples,
      int estimates, long seed) {
    double[] exact = exactGradient(p, w, h, s);
    int v = w * h;
    double[] sum = new double[v], sumSq = new double[v];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < estimates; k++) {
      float[] est = SizeGradient.estimate(p, w, h, s, samples, rng).gradient();
      for (int i = 0; i < v; i++) {
        sum[i] += est[i];
        sumSq[i] += (double) est[i] * est[i];
      }
    }
    double nonZero = 0;
    for (int i = 0; i < v; i++) {
      double mean = sum[i] / estimates;
      double sd = Math.sqrt(Math.max(0, sumSq[i] / estimates - mean * mean));
      double standardError = sd / Math.sqrt(estimates);
      assertThat(mean).as("pixel %d (exact %.4f, standard error %.4f)", i, exact[i], standardError)
          .isCloseTo(exact[i], within(4.5 * standardError + 1e-4));
      nonZero = Math.max(nonZero, Math.abs(exact[i]));
    }
    assertThat(nonZero).as("the case is not trivial").isGreaterThan(0.1);
  }

  @Test
  void oneSampleMatchesTheExactGradientOnA4x3Grid() {
    Random r = new Random(1);
    float[] p = new float[12];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.5f + 0.45f * r.nextFloat();
    }
    // g is 4 only when the middle 3 x 3 block is full, else mostly 2.
    assertMatchesExpectation(p, 4, 3, 3.5, 1, 20000, 7);
  }

  @Test
  void mostlyForegroundMasksExerciseBackgroundFlips() {
    Random r = new Random(2);
    float[] p = new float[12];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.7f + 0.28f * r.nextFloat();
    }
    // 3 x 4: g is 4 for a full mask, so s = 5 rewards filling holes.
    assertMatchesExpectation(p, 3, 4, 5.0, 1, 20000, 8);
  }

  @Test
  void averagedSamplesMatchToo() {
    Random r = new Random(3);
    float[] p = new float[12];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.3f + 0.7f * r.nextFloat();
    }
    assertMatchesExpectation(p, 4, 3, 2.5, 4, 5000, 9);
  }

  @Test
  void certainMasksGiveTheFlipDifferencesExactly() {
    // p in {0, 1}: B is the mask itself, so one sample is the exact gradient.
    LabelImage mask = ObjectSizeTest.filledEllipse(9, 7);
    float[] p = new float[mask.data().length];
    for (int i = 0; i < p.length; i++) {
      p[i] = mask.data()[i];
    }
    double s = 3;
    SizeGradient.Estimate e = SizeGradient.estimate(p, 9, 7, s, 1, new SplittableRandom(0));
    int g = ObjectSize.size(mask);
    assertThat(e.meanSize()).isEqualTo(g);
    assertThat(e.meanLoss()).isEqualTo((g - s) * (g - s));
    int[] after = ObjectSizeTest.bruteForceFlips(mask);
    for (int i = 0; i < p.length; i++) {
      double withI = mask.data()[i] > 0 ? g : after[i];
      double withoutI = mask.data()[i] > 0 ? after[i] : g;
      assertThat((double) e.gradient()[i]).isCloseTo(
          (withI - s) * (withI - s) - (withoutI - s) * (withoutI - s), within(1e-4));
    }
  }

  @Test
  void flipsReportTheSizeOfTheMask() {
    LabelImage mask = ObjectSizeTest.filledEllipse(31, 23);
    ObjectSize.Flips f = ObjectSize.flips(mask);
    assertThat(f.size()).isEqualTo(ObjectSize.size(mask));
    assertThat(f.sizesAfterFlip()).isEqualTo(ObjectSize.sizesAfterSingleFlips(mask));
  }

  @Test
  void rescaledSizesKeepTheConventionGEqualsWidthPlusOne() {
    // A 9-pixel-wide square has g = 10; at half scale it is 4.5 wide: g = 5.5.
    assertThat(LabeledImage.scaledObjectSize(10, 0.5)).isEqualTo(5.5);
    assertThat(LabeledImage.scaledObjectSize(0, 0.5)).isEqualTo(0);
    assertThat(LabeledImage.scaledObjectSize(10, 1)).isEqualTo(10);
  }
}
