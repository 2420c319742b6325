package org.lazyseg.core.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

class SeparationMeasuresTest {

  /** Two 4x4 squares side by side touching at column 4 (ids 1, 2), in a 10 x 6 image. */
  private static LabelImage touchingSquares() {
    LabelImage t = new LabelImage(10, 6);
    for (int y = 1; y < 5; y++) {
      for (int x = 1; x < 9; x++) {
        t.set(x, y, x < 5 ? 1 : 2);
      }
    }
    return t;
  }

  @Test
  void aCutAlongTheInterfaceIsRightAndKeepsThePairApart() {
    LabelImage truth = touchingSquares();
    LabelImage pred = touchingSquares();
    for (int y = 1; y < 5; y++) {
      pred.set(4, y, 0); // a one-pixel cut
    }
    SeparationMeasures s = SeparationMeasures.of(truth, pred);
    assertThat(s).isEqualTo(new SeparationMeasures(1, 1, 1, 1));
    assertThat(s.precision()).isEqualTo(1.0);
    assertThat(s.recall()).isEqualTo(1.0);
  }

  @Test
  void aMergedPairIsMissedAndAWrongCutIsNotRight() {
    LabelImage truth = touchingSquares();
    LabelImage merged = truth.foreground();
    assertThat(SeparationMeasures.of(truth, merged)).isEqualTo(new SeparationMeasures(1, 0, 0, 0));
    assertThat(SeparationMeasures.of(truth, merged).precision()).isNaN();

    // Object 1 cut in two (3 | 4) is a wrong cut; 4 | 5 is the right one.
    LabelImage wrong = new LabelImage(10, 6);
    for (int y = 1; y < 5; y++) {
      for (int x = 1; x < 9; x++) {
        wrong.set(x, y, x < 2 ? 3 : x == 2 ? 0 : x < 5 ? 4 : 5);
      }
    }
    SeparationMeasures s = SeparationMeasures.of(truth, wrong);
    assertThat(s).isEqualTo(new SeparationMeasures(1, 1, 2, 1));
    assertThat(s.precision()).isEqualTo(0.5);
    assertThat(s.plus(SeparationMeasures.of(truth, truth)))
        .isEqualTo(new SeparationMeasures(2, 2, 3, 2));
  }

  @Test
  void objectsFartherThanTheGapAreNoPair() {
    LabelImage t = new LabelImage(12, 3);
    t.set(1, 1, 1);
    t.set(1 + SeparationMeasures.GAP, 1, 2);      // within reach
    t.set(2 + 2 * SeparationMeasures.GAP, 1, 3);  // GAP + 1 beyond object 2
    SeparationMeasures s = SeparationMeasures.of(t, t);
    assertThat(s.closePairs()).isEqualTo(1);
    assertThat(s.touchingPairs()).isZero();
  }
}
