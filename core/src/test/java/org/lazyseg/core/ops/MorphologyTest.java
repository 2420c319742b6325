package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

class MorphologyTest {

  /** Oracle: a pixel is in the dilation iff some positive pixel lies within the radius. */
  private static LabelImage bruteForce(LabelImage m, int r, Connectivity c, boolean grow) {
    LabelImage out = new LabelImage(m.width(), m.height());
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        boolean any = false, all = true;
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            boolean inside = c == Connectivity.EIGHT || Math.abs(dx) + Math.abs(dy) <= r;
            int u = x + dx, v = y + dy;
            if (!inside || u < 0 || v < 0 || u >= m.width() || v >= m.height()) {
              continue;
            }
            boolean on = m.get(u, v) > 0;
            any |= on;
            all &= on;
          }
        }
        out.set(x, y, (grow ? any : all) ? 1 : 0);
      }
    }
    return out;
  }

  @Test
  void matchesBruteForceOnRandomMasks() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 40; trial++) {
      int w = 1 + rnd.nextInt(15), h = 1 + rnd.nextInt(15);
      LabelImage m = new LabelImage(w, h);
      double p = rnd.nextDouble();
      for (int i = 0; i < w * h; i++) {
        m.data()[i] = rnd.nextDouble() < p ? 3 : 0;
      }
      int r = rnd.nextInt(4);
      for (Connectivity c : Connectivity.values()) {
        assertThat(Morphology.dilate(m, r, c).data()).containsExactly(bruteForce(m, r, c, true).data());
        assertThat(Morphology.erode(m, r, c).data()).containsExactly(bruteForce(m, r, c, false).data());
      }
    }
  }
}
