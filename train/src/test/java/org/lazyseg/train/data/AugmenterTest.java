package org.lazyseg.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  /** Image value == label value at every pixel, so any exact transform keeps them equal. */
  private static Example labelledRamp(int w, int h) {
    FloatImage image = new FloatImage(w, h, 1);
    LabelImage labels = new LabelImage(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.set(0, x, y, y * w + x);
        labels.set(x, y, y * w + x);
      }
    }
    return Example.of("ramp", image, labels);
  }

  @Test
  void withoutAugmentationAFullSizeCropIsTheImage() {
    Example e = labelledRamp(8, 8);
    Augmenter a = new Augmenter(8, Augmentation.none(), Normalization.identity(1));
    float[] x = new float[64];
    int[][] y = new int[1][64];
    a.sample(e, new Random(1), x, 0, y, 0);
    assertThat(x).containsExactly(e.image().data());
  }

  @Test
  void flipsAndRotationsKeepImageAndTargetsAligned() {
    Example e = labelledRamp(20, 13);
    Augmenter a = new Augmenter(8, Augmentation.flipsAndRotations(), Normalization.identity(1));
    Random rng = new Random(3);
    for (int i = 0; i < 20; i++) {
      float[] x = new float[64];
      int[][] y = new int[1][64];
      a.sample(e, rng, x, 0, y, 0);
      for (int p = 0; p < 64; p++) {
        assertThat(y[0][p]).isNotEqualTo(LabelImage.IGNORE);
        assertThat(x[p]).isEqualTo((float) y[0][p]);
      }
    }
  }

  @Test
  void smallImagesArePaddedWithIgnoreAndMissingTargetsAreIgnore() {
    FloatImage image = new FloatImage(5, 3, 1);
    Example e = new Example("small", image, new LabelImage[] {new LabelImage(5, 3), null});
    Augmenter a = new Augmenter(8, Augmentation.full(), Normalization.identity(1));
    float[] x = new float[64];
    int[][] y = new int[2][64];
    a.sample(e, new Random(5), x, 0, y, 0);
    long ignored = java.util.Arrays.stream(y[0]).filter(v -> v == LabelImage.IGNORE).count();
    assertThat(ignored).isGreaterThanOrEqualTo(64 - 3 * 5 * 2); // at most ~zoomed area
    assertThat(ignored).isLessThan(64);
    assertThat(y[1]).containsOnly(LabelImage.IGNORE);
  }

  @Test
  void batchesAreReproducibleWhateverTheNumberOfWorkers() {
    List<Example> examples = List.of(labelledRamp(30, 20), labelledRamp(12, 40));
    Augmenter a = new Augmenter(16, Augmentation.full(), Normalization.identity(1));
    try (BatchProducer one = new BatchProducer(examples, a, 3, 1, 42, 1);
        BatchProducer two = new BatchProducer(examples, a, 3, 1, 42, 2)) {
      for (int k = 0; k < 5; k++) {
        Batch b1 = one.next(), b2 = two.next();
        assertThat(b2.images()).containsExactly(b1.images());
        assertThat(b2.targets()[0]).containsExactly(b1.targets()[0]);
      }
    }
  }

  /** An 8 x 8 example whose pixels (image and, when strong, the head-0 target) all equal v. */
  private static Example constant(String id, int v, boolean strong) {
    FloatImage image = new FloatImage(8, 8, 1);
    java.util.Arrays.fill(image.data(), v);
    LabelImage[] targets = new LabelImage[2];
    targets[1] = new LabelImage(8, 8);
    if (strong) {
      targets[0] = new LabelImage(8, 8);
      java.util.Arrays.fill(targets[0].data(), v);
    }
    return new Example(id, image, targets);
  }

  @Test
  void aStrongShareOfEachBatchComesFromTheStronglyLabelledExamples() {
    // 1 strong among 20: uniform draws would put it in about 1 of 20 crops.
    List<Example> examples = new java.util.ArrayList<>();
    examples.add(constant("strong", 100, true));
    for (int i = 1; i < 20; i++) {
      Example weak = constant("weak" + i, i, i % 2 == 0);
      if (i % 2 == 0) {
        // a segmentation target with unlabelled pixels (as a partial mask implies) is weak
        weak.targets()[0].data()[5] = LabelImage.IGNORE;
      }
      examples.add(weak);
    }
    Augmenter a = new Augmenter(8, Augmentation.none(), Normalization.identity(1));
    int batches = 200, batch = 8;
    int[] strongCrops = new int[2];
    double[] shares = {0, 0.5};
    for (int s = 0; s < 2; s++) {
      try (BatchProducer producer = new BatchProducer(examples, a, batch, 2, 7, 2, shares[s])) {
        for (int k = 0; k < batches; k++) {
          float[] x = producer.next().images();
          for (int i = 0; i < batch; i++) {
            boolean strong = x[i * 64] == 100f;
            if (s == 1 && i < 4) {
              assertThat(strong).as("crop %d of batch %d", i, k).isTrue();
            }
            strongCrops[s] += strong ? 1 : 0;
          }
        }
      }
    }
    int crops = batches * batch;
    assertThat(strongCrops[0]).isBetween(crops / 20 / 2, crops / 20 * 2);
    // 4 fixed strong slots plus about 1 in 20 of the other 4.
    assertThat(strongCrops[1]).isBetween(batches * 4, batches * 4 + batches * 4 / 20 * 2);
  }

  @Test
  void anAutoStrongShareGivesOneCropWhereMostUniformBatchesWouldHaveNone() {
    // 9 strong of 200, batches of 8: 0.955^8 = 69% of uniform batches hold no strong crop.
    assertThat(BatchProducer.withoutStrongCrop(9, 200, 8)).isCloseTo(0.692, within(0.001));
    assertThat(BatchProducer.strongSlots(Double.NaN, 9, 200, 8)).isEqualTo(1);
    // 8 of 85: 45% without one, so uniform draws stay.
    assertThat(BatchProducer.strongSlots(Double.NaN, 8, 85, 8)).isZero();
    // the boundary: (1 - 1/12)^8 = 0.498 stays uniform, (1 - 1/13)^8 = 0.527 does not
    assertThat(BatchProducer.strongSlots(Double.NaN, 1, 12, 8)).isZero();
    assertThat(BatchProducer.strongSlots(Double.NaN, 1, 13, 8)).isEqualTo(1);
    // nothing to draw from, or nothing else to draw
    assertThat(BatchProducer.strongSlots(Double.NaN, 0, 200, 8)).isZero();
    assertThat(BatchProducer.strongSlots(Double.NaN, 200, 200, 8)).isZero();
    // a given share is rounded to crops
    assertThat(BatchProducer.strongSlots(0.5, 9, 200, 8)).isEqualTo(4);
    assertThat(BatchProducer.strongSlots(0, 9, 200, 8)).isZero();
    // and in a producer: 1 strong of 20 (0.95^8 = 66% without): the first crop is strong
    List<Example> examples = new java.util.ArrayList<>();
    examples.add(constant("strong", 100, true));
    for (int i = 1; i < 20; i++) {
      examples.add(constant("weak" + i, i, false));
    }
    assertThat(BatchProducer.strongCount(examples)).isEqualTo(1);
    Augmenter a = new Augmenter(8, Augmentation.none(), Normalization.identity(1));
    try (BatchProducer producer = new BatchProducer(examples, a, 8, 2, 3, 1, Double.NaN)) {
      for (int k = 0; k < 10; k++) {
        assertThat(producer.next().images()[0]).as("batch %d", k).isEqualTo(100f);
      }
    }
  }

  @Test
  void aStrongShareChangesNothingWhenEveryExampleIsStrong() {
    List<Example> examples = List.of(constant("a", 1, true), constant("b", 2, true));
    Augmenter a = new Augmenter(8, Augmentation.none(), Normalization.identity(1));
    try (BatchProducer uniform = new BatchProducer(examples, a, 4, 2, 9, 1);
        BatchProducer shared = new BatchProducer(examples, a, 4, 2, 9, 1, 0.5)) {
      for (int k = 0; k < 5; k++) {
        assertThat(shared.next().images()).containsExactly(uniform.next().images());
      }
    }
  }

  @Test
  void theWholeImageFrameIsWhereTheImagesPixelsLandOnlyWhenAllOfThemDo() {
    Augmenter a = new Augmenter(8, Augmentation.flipsAndRotations(), Normalization.identity(1));
    Random rng = new Random(4);
    for (int trial = 0; trial < 20; trial++) {
      int w = 1 + rng.nextInt(8), h = 1 + rng.nextInt(8);
      int[][] y = new int[1][64];
      int[] frame = a.sample(labelledRamp(w, h), rng, new float[64], 0, y, 0);
      assertThat(frame).as("%d x %d fits in 8 x 8", w, h).isNotNull();
      for (int v = 0; v < 8; v++) {
        for (int u = 0; u < 8; u++) {
          boolean inFrame = u >= frame[0] && u <= frame[2] && v >= frame[1] && v <= frame[3];
          assertThat(y[0][v * 8 + u] != LabelImage.IGNORE).as("pixel %d,%d", u, v)
              .isEqualTo(inFrame);
        }
      }
    }
    int[] cut = a.sample(labelledRamp(9, 4), rng, new float[64], 0, new int[1][64], 0);
    assertThat(cut).as("a 9-pixel-wide image does not fit").isNull();
    Augmenter zoom = new Augmenter(8, new Augmentation(true, true, 0, 0.8, 1.25),
        Normalization.identity(1));
    assertThat(zoom.sample(labelledRamp(3, 3), rng, new float[64], 0, new int[1][64], 0))
        .as("a resampled crop").isNull();
  }
}
