package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms.Border;

class DistanceTransformsTest {

  /** Brute-force oracle: O(V^2), obviously right, only for small images. */
  private static float[] bruteForce(LabelImage region, Border border, boolean chebyshev) {
    int w = region.width(), h = region.height();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (region.get(x, y) <= 0) {
          continue;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int v = -1; v <= h; v++) {
          for (int u = -1; u <= w; u++) {
            boolean outsideImage = u < 0 || v < 0 || u >= w || v >= h;
            boolean outside = outsideImage ? border == Border.OUTSIDE : region.get(u, v) <= 0;
            if (!outside) {
              continue;
            }
            double dx = Math.abs(u - x), dy = Math.abs(v - y);
            best = Math.min(best, chebyshev ? Math.max(dx, dy) : Math.hypot(dx, dy));
          }
        }
        out[y * w + x] = (float) best;
      }
    }
    return out;
  }

  private static LabelImage random(Random rnd, int w, int h, double p) {
    LabelImage m = new LabelImage(w, h);
    for (int i = 0; i < w * h; i++) {
      m.data()[i] = rnd.nextDouble() < p ? 1 : 0;
    }
    return m;
  }

  @Test
  void euclideanAndChebyshevMatchBruteForceOnRandomMasks() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 60; trial++) {
      LabelImage m = random(rnd, 3 + rnd.nextInt(14), 3 + rnd.nextInt(14), 0.5 + 0.45 * rnd.nextDouble());
      for (Border b : Border.values()) {
        boolean hasOutside = b == Border.OUTSIDE || m.foreground().max() == 0
            || java.util.Arrays.stream(m.data()).anyMatch(v -> v == 0);
        if (!hasOutside) {
          continue;
        }
        assertThat(DistanceTransforms.euclidean(m, b)).containsExactly(bruteForce(m, b, false), within(1e-3f));
        assertThat(DistanceTransforms.chebyshev(m, b)).containsExactly(bruteForce(m, b, true), within(1e-3f));
      }
    }
  }

  @Test
  void fullRegionWithoutOutsideIsInfinitelyFar() {
    LabelImage full = new LabelImage(4, 3);
    java.util.Arrays.fill(full.data(), 1);
    assertThat(DistanceTransforms.euclidean(full, Border.INSIDE_ONLY)).containsOnly(Float.POSITIVE_INFINITY);
    assertThat(DistanceTransforms.chebyshev(full, Border.OUTSIDE)).contains(1f, 2f);
  }

  @Test
  void componentsSplitDiagonalNeighboursOnlyWithFourConnectivity() {
    LabelImage m = new LabelImage(3, 3, new int[] {255, 0, 0, 0, 255, 0, 0, 0, 255});
    assertThat(Components.countIds(Components.label(m, Connectivity.FOUR))).isEqualTo(3);
    assertThat(Components.countIds(Components.label(m, Connectivity.EIGHT))).isEqualTo(1);
    assertThat(Components.instances(m).data()).containsExactly(1, 0, 0, 0, 2, 0, 0, 0, 3);
    LabelImage ids = new LabelImage(2, 1, new int[] {4, 9});
    assertThat(Components.instances(ids)).isSameAs(ids);
  }
}
