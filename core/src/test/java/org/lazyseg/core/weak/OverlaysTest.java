package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.Overlays.Colouring;

class OverlaysTest {
  private static final int GREY = 0x808080;

  /** A uniform grey 7 x 7 image (value 128) with a 3 x 3 class-1 square on columns/rows 2..4. */
  private static FloatImage greyImage() {
    FloatImage img = new FloatImage(7, 7, 1);
    java.util.Arrays.fill(img.data(), 128 / 255f);
    return img;
  }

  private static LabelImage square() {
    LabelImage l = new LabelImage(7, 7);
    for (int y = 2; y <= 4; y++) {
      for (int x = 2; x <= 4; x++) {
        l.set(x, y, 1);
      }
    }
    return l;
  }

  @Test
  void contourGetsFullColourInteriorIsBlendedBackgroundStaysGrey() {
    int[] rgb = Overlays.overlay(greyImage(), square());
    int red = Overlays.colour(1, Colouring.BY_CLASS);
    assertThat(rgb[0]).isEqualTo(GREY);
    assertThat(rgb[2 * 7 + 2]).isEqualTo(red);
    assertThat(rgb[3 * 7 + 2]).isEqualTo(red);
    int centre = rgb[3 * 7 + 3];
    assertThat(centre).isNotIn(GREY, red);
    int expectedRed = (int) Math.round(0.6 * 128 + 0.4 * ((red >> 16) & 0xFF));
    assertThat((centre >> 16) & 0xFF).isEqualTo(expectedRed);
  }

  @Test
  void scribblesArePaintedYellowOnTop() {
    LabelImage s = new LabelImage(7, 7);
    s.set(3, 3, 1);
    s.set(0, 0, 1);
    int[] rgb = Overlays.overlay(greyImage(), square(), Colouring.BY_INSTANCE, s);
    assertThat(rgb[3 * 7 + 3]).isEqualTo(Overlays.SCRIBBLE_COLOUR);
    assertThat(rgb[0]).isEqualTo(Overlays.SCRIBBLE_COLOUR);
    assertThat(rgb[1]).isEqualTo(GREY);
  }

  @Test
  void sideBySideLeavesAGapBetweenPanels(@TempDir Path dir) {
    int[] a = new int[4], b = new int[4];
    java.util.Arrays.fill(a, 0x112233);
    java.util.Arrays.fill(b, 0x445566);
    Overlays.Picture pic = Overlays.sideBySide(2, 2, a, b);
    assertThat(pic.width()).isEqualTo(2 + Overlays.GAP + 2);
    int[] row = java.util.Arrays.copyOfRange(pic.rgb(), 0, pic.width());
    assertThat(row).containsExactly(0x112233, 0x112233, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF,
        0x445566, 0x445566);
    Path png = dir.resolve("cmp.png");
    pic.write(png);
    assertThat(ImageFiles.readRaster(png).getWidth()).isEqualTo(pic.width());
  }
}
