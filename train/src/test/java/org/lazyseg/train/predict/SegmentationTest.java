package org.lazyseg.train.predict;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.testing.TestImages;

/** Removing small objects from a segmentation. */
class SegmentationTest {
  private static final int W = 20, H = 8;

  private static LabelImage twoTouchingAndOne() {
    return TestImages.twoTouchingAndOne();
  }

  @Test
  void objectsUnderTheLeastAreaBecomeBackgroundInClassesAndInstances() {
    LabelImage classes = twoTouchingAndOne();       // a 78-pixel block and a 9-pixel square
    LabelImage instances = Components.label(classes, org.lazyseg.core.ops.Connectivity.FOUR);
    Segmentation seg = new Segmentation(classes, instances, null);

    Segmentation kept = seg.withoutObjectsUnder(10);
    assertThat(Components.countIds(kept.instances())).isEqualTo(1);
    assertThat(kept.instances().get(2, 1)).isEqualTo(1);
    assertThat(kept.classes().get(18, 3)).as("the square is gone").isZero();
    assertThat(kept.instances().get(18, 3)).isZero();
    assertThat(kept.classes().get(10, 3)).isEqualTo(1);
    assertThat(classes.get(18, 3)).as("the input is left as it was").isEqualTo(1);

    assertThat(Components.countIds(seg.withoutObjectsUnder(9).instances()))
        .as("an object of exactly the least area stays").isEqualTo(2);
    assertThat(Components.countIds(seg.withoutObjectsUnder(79).instances())).isZero();
    assertThat(seg.withoutObjectsUnder(0)).isSameAs(seg);
  }
}
