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

  @Test
  void enlargedLabelsKeepTheirQuadrants() {
    LabelImage classes = new LabelImage(2, 2, new int[] {1, 2, 1, 0});
    LabelImage ids = new LabelImage(2, 2, new int[] {5, 6, 7, 0});
    LabelImage[] up = Resize.enlargeLabels(classes, ids, 4, 4);
    assertThat(up[0].data()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 0, 0, 1, 1, 0, 0);
    assertThat(up[1].data()).containsExactly(5, 5, 6, 6, 5, 5, 6, 6, 7, 7, 0, 0, 7, 7, 0, 0);
    assertThat(Resize.enlargeLabels(classes, null, 3, 3)[1]).isNull();
  }

  @Test
  void anEnlargedObjectEndsWhereItsBilinearMapCrossesOneHalf() {
    LabelImage disc = new LabelImage(20, 15);
    for (int y = 0; y < 15; y++) {
      for (int x = 0; x < 20; x++) {
        if ((x - 9.3) * (x - 9.3) + (y - 7.1) * (y - 7.1) < 30) {
          disc.set(x, y, 1);
        }
      }
    }
    float[] on = new float[disc.data().length];
    for (int i = 0; i < on.length; i++) {
      on[i] = disc.data()[i];
    }
    float[] bilinear = Resize.plane(on, 20, 15, 61, 44);
    LabelImage[] up = Resize.enlargeLabels(disc, disc, 61, 44);
    int decided = 0;
    for (int i = 0; i < bilinear.length; i++) {
      if (Math.abs(bilinear[i] - 0.5f) > 1e-4f) {   // ties go to the first neighbour
        assertThat(up[0].data()[i]).as("pixel %d", i).isEqualTo(bilinear[i] > 0.5f ? 1 : 0);
        decided++;
      }
    }
    assertThat(decided).isGreaterThan(bilinear.length * 9 / 10);
    assertThat(up[1].data()).isEqualTo(up[0].data());
  }

  @Test
  void touchingObjectsEnlargeWithoutMixingTheirIds() {
    // two objects of class 1 side by side, a third of class 2 below them
    LabelImage classes = new LabelImage(6, 4, new int[] {
        1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1,
        2, 2, 2, 2, 2, 2,
        0, 0, 0, 0, 0, 0});
    LabelImage ids = new LabelImage(6, 4, new int[] {
        1, 1, 1, 2, 2, 2,
        1, 1, 1, 2, 2, 2,
        3, 3, 3, 3, 3, 3,
        0, 0, 0, 0, 0, 0});
    LabelImage[] up = Resize.enlargeLabels(classes, ids, 17, 11);
    int[] classOf = {0, 1, 1, 2};
    int[] seen = new int[4];
    for (int i = 0; i < up[0].data().length; i++) {
      int id = up[1].data()[i];
      assertThat(id > 0).isEqualTo(up[0].data()[i] > 0);
      assertThat(classOf[id]).isEqualTo(up[0].data()[i]);
      seen[id]++;
    }
    assertThat(seen).doesNotContain(0);
    assertThat(Resize.scaledSize(800, 540, 1 / 3.0)).containsExactly(267, 180);
  }
}
