package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

class WorkingScaleTest {

  /** Objects of 100, 400 and 900 pixels (squares of side 10, 20, 30), ids 1..3. */
  private static LabelImage squares() {
    LabelImage ids = new LabelImage(100, 40);
    int[] sides = {10, 20, 30};
    for (int k = 0; k < 3; k++) {
      for (int y = 0; y < sides[k]; y++) {
        for (int x = 0; x < sides[k]; x++) {
          ids.set(35 * k + x, y, k + 1);
        }
      }
    }
    return ids;
  }

  @Test
  void theMedianObjectDecidesTheScale() {
    double d = Math.sqrt(4 * 400 / Math.PI);   // the median object: 400 px
    assertThat(WorkingScale.medianDiameter(List.of(squares()))).isCloseTo(d, within(1e-9));
    LabeledImage strong = LabeledImage.of("a", new FloatImage(100, 40, 1))
        .withInstanceMask(squares());
    assertThat(WorkingScale.auto(List.of(strong), 1, 16))
        .isEqualTo(Math.round(100 * 16 / (2 * d)) / 100.0).isEqualTo(0.35);
    assertThat(WorkingScale.auto(List.of(strong), 1, 64)).as("a crop that holds it").isEqualTo(1);
    assertThat(WorkingScale.auto(List.of(strong), 1, 40)).isEqualTo(0.89);
    assertThat(WorkingScale.auto(List.of(strong), 1, 41)).as("0.91: near enough to 1")
        .isEqualTo(1);
  }

  @Test
  void withoutStrongMasksThePartialCoresDecideAndWithoutEitherTheScaleIsOne() {
    LabeledImage partialOnly = LabeledImage.of("p", new FloatImage(100, 40, 1))
        .withPartial(squares());
    LabeledImage strong = LabeledImage.of("s", new FloatImage(100, 40, 1))
        .withInstanceMask(onlyTheLargest());
    assertThat(WorkingScale.auto(List.of(partialOnly), 1, 16)).isEqualTo(0.35);
    assertThat(WorkingScale.auto(List.of(partialOnly, strong), 1, 16))
        .as("strong masks first").isEqualTo(Math.round(1600 / (2 * Math.sqrt(3600 / Math.PI))) / 100.0);
    assertThat(WorkingScale.auto(List.of(LabeledImage.of("t", new FloatImage(8, 8, 1))
        .withTags(new boolean[] {true})), 1, 16)).isEqualTo(1);
  }

  private static LabelImage onlyTheLargest() {
    LabelImage ids = squares();
    for (int i = 0; i < ids.data().length; i++) {
      ids.data()[i] = ids.data()[i] == 3 ? 1 : 0;
    }
    return ids;
  }
}
