package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.ObjectSize;

class LabeledImageScaledTest {

  /** 8 x 6, pixel value x / 8; a 4 x 4 square at (2, 1); a 4 x 2 core in it; a 1-pixel line. */
  private static LabeledImage sample() {
    FloatImage img = new FloatImage(8, 6, 1);
    LabelImage square = new LabelImage(8, 6);
    LabelImage core = new LabelImage(8, 6);
    LabelImage line = new LabelImage(8, 6);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 8; x++) {
        img.data()[y * 8 + x] = x / 8f;
        if (x >= 2 && x < 6 && y >= 1 && y < 5) {
          square.set(x, y, 1);
        }
        if (x >= 2 && x < 6 && y >= 2 && y < 4) {
          core.set(x, y, 1);
        }
      }
      line.set(7, y, 1);   // the last column: at half scale it shares pixels with column 6
    }
    return LabeledImage.of("a", img).withMask(square).withPartial(core).withScribbles(line)
        .withPseudo(square).withObjectSize(ObjectSize.size(square)).withTags(true);
  }

  @Test
  void everyLabelIsShrunkWithTheImage() {
    LabeledImage full = sample();
    LabeledImage half = full.scaled(0.5);
    assertThat(half.size()).containsExactly(4, 3);
    assertThat(half.kinds()).isEqualTo(full.kinds());
    assertThat(half.id()).isEqualTo("a");
    // pixel-area averages: columns 2k and 2k + 1 give (2k + 0.5) / 8
    assertThat(half.image().data()[1]).isCloseTo(2.5f / 8, within(1e-6f));
    LabelImage mask = half.mask().orElseThrow();
    assertThat(mask.width()).isEqualTo(4);
    // the square covers columns 1-2 and rows 0.5-2.5 at half scale: its 2 x 2 middle whole,
    // the rows above and below half (kept by the half-area rule)
    assertThat(mask.data()).containsExactly(
        0, 1, 1, 0,
        0, 1, 1, 0,
        0, 1, 1, 0);
    assertThat(half.pseudo().orElseThrow().data()).containsExactly(mask.data());
    // nearest: output pixel i takes source pixel 2i + 1 (its centre)
    assertThat(half.partial().orElseThrow().data()).containsExactly(
        0, 0, 0, 0,
        0, 1, 1, 0,
        0, 0, 0, 0);
    assertThat(half.scribbles().orElseThrow().data()).containsExactly(
        0, 0, 0, 1,
        0, 0, 0, 1,
        0, 0, 0, 1);
    assertThat(half.objectSize().orElseThrow())
        .isEqualTo(0.5 * (full.objectSize().orElseThrow() - 1) + 1);
    assertThat(half.tags().orElseThrow()).containsExactly(true);
    assertThat(half.instances().orElseThrow().max()).isEqualTo(1);
  }

  @Test
  void instanceIdsStayIdsAndNoNewOnesAppear() {
    LabelImage ids = new LabelImage(9, 3);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 9; x++) {
        ids.set(x, y, x < 4 ? 7 : 9);
      }
    }
    ids.set(8, 0, 0);
    LabeledImage small = LabeledImage.of("b", new FloatImage(9, 3, 1)).withInstanceMask(ids)
        .scaled(1 / 3.0);
    // the ids at the centres of the 3 x 3 blocks, columns 1, 4, 7 of row 1
    assertThat(small.instances().orElseThrow().data()).containsExactly(7, 9, 9);
    assertThat(small.mask().orElseThrow().data()).containsExactly(1, 1, 1);
    // a thin object vanishes from both alike
    LabelImage line = new LabelImage(9, 3);
    line.set(4, 1, 5);
    LabeledImage thin = LabeledImage.of("d", new FloatImage(9, 3, 1)).withInstanceMask(line)
        .scaled(1 / 3.0);
    assertThat(thin.instances().orElseThrow().data()).containsOnly(0);
    assertThat(thin.mask().orElseThrow().data()).containsOnly(0);
  }

  @Test
  void factorOneIsTheSameImageAndOthersOutsideTheRangeAreRefused() {
    LabeledImage full = sample();
    assertThat(full.scaled(1)).isSameAs(full);
    assertThatThrownBy(() -> full.scaled(0)).hasMessage(
        "a: scale factor must be in (0, 1], not 0.0");
    assertThatThrownBy(() -> full.scaled(1.5)).hasMessageContaining("(0, 1]");
  }

  @Test
  void aTinyImageKeepsAtLeastOnePixel() {
    LabeledImage small = LabeledImage.of("c", new FloatImage(3, 2, 1)).scaled(0.1);
    assertThat(small.size()).containsExactly(1, 1);
    assertThat(small.image().width()).isEqualTo(1);
  }
}
