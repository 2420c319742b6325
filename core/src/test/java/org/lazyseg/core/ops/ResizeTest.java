package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

class ResizeTest {

  @Test
  void shrinkingAveragesPixelAreas() {
    FloatImage img = new FloatImage(4, 2, 1, new float[] {0, 1, 2, 3, 4, 5, 6, 7});
    FloatImage half = Resize.image(img, 2, 1);
    assertThat(half.data()[0]).isCloseTo((0 + 1 + 4 + 5) / 4f, within(1e-5f));
    assertThat(half.data()[1]).isCloseTo((2 + 3 + 6 + 7) / 4f, within(1e-5f));
  }

  @Test
  void foregroundKeepsPixelsAtLeastHalfCovered() {
    LabelImage m = new LabelImage(4, 4);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 3; x++) {
        m.set(x, y, 7);
      }
    }
    LabelImage half = Resize.foreground(m, 2, 2);
    assertThat(half.data()).containsExactly(1, 1, 1, 1); // right cells are half covered
    m.set(2, 0, 0);
    m.set(2, 1, 0);
    assertThat(Resize.foreground(m, 2, 2).data()).containsExactly(1, 0, 1, 1);
  }

  @Test
  void enlargingIsBilinearAndKeepsConstants() {
    float[] p = Resize.plane(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 2, 2, 5, 3);
    assertThat(p).hasSize(15).containsOnly(0.25f);
  }
}
