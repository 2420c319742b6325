package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.testing.TestImages;

/** Instances from a class mask and an interface map: the plain cut and the regrown cut. */
class SeparationCutTest {
  private static final int W = 20, H = 8;

  private static LabelImage twoTouchingAndOne() {
    return TestImages.twoTouchingAndOne();
  }

  private static float[][] interfaces(int column, float p) {
    float[][] sep = new float[2][W * H];
    for (int y = 0; y < H; y++) {
      sep[1][y * W + column] = p;
      sep[0][y * W + column] = 1 - p;
    }
    return sep;
  }

  @Test
  void theRegrownCutSplitsAtTheInterfaceAndKeepsEveryForegroundPixel() {
    LabelImage classes = twoTouchingAndOne();
    float[][] sep = interfaces(8, 0.9f);
    LabelImage plain = SeparationCut.instances(classes, sep, 0.5);
    LabelImage regrown = SeparationCut.instances(classes, sep, 0.5, 4);

    assertThat(Components.countIds(plain)).isEqualTo(3);
    assertThat(plain.get(8, 3)).isZero(); // the plain cut drops the interface pixels
    assertThat(Components.countIds(regrown)).isEqualTo(3);
    for (int i = 0; i < W * H; i++) {
      assertThat(regrown.data()[i] > 0).as("pixel %d", i).isEqualTo(classes.data()[i] > 0);
    }
    assertThat(regrown.get(7, 3)).isNotEqualTo(regrown.get(9, 3));
    assertThat(regrown.get(8, 3)).isIn(regrown.get(7, 3), regrown.get(9, 3));
    assertThat(regrown.get(2, 1)).isEqualTo(1); // raster order
  }

  @Test
  void slicesSmallerThanMinPieceAreNoObjectsOfTheirOwn() {
    LabelImage classes = twoTouchingAndOne();
    // an interface one column in from the left edge chips off a 1 x 6 sliver (x = 2)
    float[][] sep = interfaces(3, 0.9f);
    assertThat(Components.countIds(SeparationCut.instances(classes, sep, 0.5))).isEqualTo(3);
    assertThat(Components.countIds(SeparationCut.instances(classes, sep, 0.5, 7)))
        .as("the 6-pixel sliver joins its block").isEqualTo(2);
    assertThat(Components.countIds(SeparationCut.instances(classes, sep, 0.5, 6)))
        .as("at min piece 6 the sliver counts").isEqualTo(3);
  }

  @Test
  void aComponentCutIntoSliversOnlyStaysOneObject() {
    LabelImage classes = twoTouchingAndOne();
    float[][] sep = new float[2][W * H];
    for (int y = 2; y < 5; y++) {
      sep[1][y * W + 18] = 0.9f; // the middle column of the 3 x 3 square
    }
    LabelImage regrown = SeparationCut.instances(classes, sep, 0.5, 4);
    assertThat(Components.countIds(regrown)).isEqualTo(2);
    assertThat(regrown.get(17, 3)).isPositive().isEqualTo(regrown.get(19, 3));
    assertThat(regrown.get(18, 3)).isEqualTo(regrown.get(17, 3));
  }

  @Test
  void withoutASeparationMapInstancesAreTheComponents() {
    LabelImage classes = twoTouchingAndOne();
    assertThat(Components.countIds(SeparationCut.instances(classes, null, 0.5, 4)))
        .isEqualTo(2);
  }
}
