package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

class ProbabilitiesTest {
  @Test
  void argmaxTakesTheLikeliestClassAndTheLowestOnATie() {
    float[][] p = {
        {0.6f, 0.2f, 0.4f, 0.5f},
        {0.3f, 0.3f, 0.4f, 0.5f},
        {0.1f, 0.5f, 0.2f, 0.0f}};
    LabelImage labels = Probabilities.argmax(p, 2, 2);
    assertThat(labels.width()).isEqualTo(2);
    assertThat(labels.data()).containsExactly(0, 2, 0, 0);
  }
}
