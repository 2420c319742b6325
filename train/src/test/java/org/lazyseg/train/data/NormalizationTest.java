package org.lazyseg.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;

class NormalizationTest {
  /** A 10 x 10 image holding 0..99 in shuffled order, and 5 + 2 x that in channel 1. */
  private static FloatImage hundred() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.add(i);
    }
    Collections.shuffle(values, new Random(3));
    FloatImage image = new FloatImage(10, 10, 2);
    for (int i = 0; i < 100; i++) {
      image.data()[i] = values.get(i);
      image.data()[100 + i] = 5 + 2 * values.get(i);
    }
    return image;
  }

  @Test
  void percentilesInterpolateBetweenSortedValuesAsNumpyDoes() {
    // numpy.percentile(numpy.arange(100), [1, 99.8]) == [0.99, 98.802]
    float[][] p = Normalization.percentile(2).percentiles(hundred());
    assertThat(p[0][0]).isCloseTo(0.99f, within(1e-5f));
    assertThat(p[1][0]).isCloseTo(98.802f, within(1e-4f));
    assertThat(p[0][1]).isCloseTo(5 + 2 * 0.99f, within(1e-5f));
    assertThat(p[1][1]).isCloseTo(5 + 2 * 98.802f, within(1e-4f));
    assertThat(Normalization.percentile(new float[] {7f}, 50)).isEqualTo(7f);
    assertThat(Normalization.percentile(new float[] {1f, 3f}, 50)).isEqualTo(2f);
    assertThat(Normalization.percentile(new float[] {1f, 3f}, 100)).isEqualTo(3f);
  }

  @Test
  void percentileNormalisationMapsTheLowAndHighPercentileToZeroAndOne() {
    float[][] n = Normalization.percentile(2).shiftAndScale(hundred());
    for (int c = 0; c < 2; c++) {
      float lo = c == 0 ? 0.99f : 6.98f, hi = c == 0 ? 98.802f : 202.604f;
      assertThat((lo - n[0][c]) * n[1][c]).isCloseTo(0f, within(1e-5f));
      assertThat((hi - n[0][c]) * n[1][c]).isCloseTo(1f, within(1e-5f));
    }
    // The dataset kind is what it always was: (v - mean) / std, whatever the image.
    Normalization dataset = new Normalization(new float[] {0.5f, 1f}, new float[] {2f, 4f});
    assertThat(dataset.shiftAndScale(hundred())).isDeepEqualTo(
        new float[][] {{0.5f, 1f}, {0.5f, 0.25f}});
  }

  @Test
  void aConstantImageKeepsItsScale() {
    FloatImage flat = new FloatImage(6, 5, 1);
    java.util.Arrays.fill(flat.data(), 0.3f);
    float[][] n = Normalization.percentile(1).shiftAndScale(flat);
    assertThat(n[0][0]).isEqualTo(0.3f);
    assertThat(n[1][0]).isEqualTo(1f);
    FloatImage zeros = new FloatImage(6, 5, 1);
    assertThat(Normalization.percentile(1).shiftAndScale(zeros)).isDeepEqualTo(
        new float[][] {{0f}, {1f}});
  }

  @Test
  void scaledIntensitiesGiveTheSameNormalisedValues() {
    FloatImage image = hundred();
    FloatImage scaled = new FloatImage(10, 10, 2);
    for (int i = 0; i < 200; i++) {
      scaled.data()[i] = image.data()[i] * 16;
    }
    Normalization p = Normalization.percentile(2);
    float[][] a = p.shiftAndScale(image), b = p.shiftAndScale(scaled);
    for (int i = 0; i < 200; i++) {
      int c = i / 100;
      assertThat((scaled.data()[i] - b[0][c]) * b[1][c])
          .isEqualTo((image.data()[i] - a[0][c]) * a[1][c]);
    }
  }

  @Test
  void aLargeImageIsEstimatedFromARegularSampleCloseToTheExactValue() {
    int w = 1500, h = 1000;   // 1.5 M pixels: a sample of every 2nd one
    FloatImage image = new FloatImage(w, h, 1);
    Random rng = new Random(5);
    for (int i = 0; i < w * h; i++) {
      image.data()[i] = (float) rng.nextGaussian();
    }
    float[][] estimate = Normalization.percentile(1).percentiles(image);
    float[] sorted = image.data().clone();
    java.util.Arrays.sort(sorted);
    assertThat(estimate[0][0]).isNotEqualTo(Normalization.percentile(sorted, 1))
        .isCloseTo(Normalization.percentile(sorted, 1), within(0.01f));
    assertThat(estimate[1][0]).isCloseTo(Normalization.percentile(sorted, 99.8), within(0.02f));
    // The same image gives the same estimate, in whatever object it comes.
    FloatImage copy = new FloatImage(w, h, 1, image.data().clone());
    assertThat(Normalization.percentile(1).percentiles(copy)).isDeepEqualTo(estimate);
  }

  @Test
  void anOldModelJsonReadsAsTheDatasetKind() throws Exception {
    String old = """
        {
          "spec" : {
            "channels" : 1,
            "tasks" : [ { "name" : "fg", "classes" : 2, "alpha" : 1.0 } ],
            "width" : 4,
            "depth" : 3,
            "normalization" : { "mean" : [ 0.25 ], "std" : [ 0.5 ] },
            "network" : "unet"
          },
          "tileSize" : 32
        }""";
    RunFolder.SavedModel saved = RunFolder.JSON.readValue(old, RunFolder.SavedModel.class);
    Normalization n = saved.spec().normalization();
    assertThat(n.kind()).isEqualTo(Normalization.DATASET);
    assertThat(n.percentiles()).isNull();
    assertThat(n.mean()).containsExactly(0.25f);
    assertThat(n.std()).containsExactly(0.5f);
    assertThat(n.shiftAndScale(new FloatImage(3, 2, 1))).isDeepEqualTo(
        new float[][] {{0.25f}, {2f}});
    // An old state.json's training config, without the setting, reads as not chosen.
    var config = (com.fasterxml.jackson.databind.node.ObjectNode) RunFolder.JSON.valueToTree(
        TrainConfig.builder().optNormalize(Normalization.PERCENTILE).build());
    config.remove("normalize");
    assertThat(RunFolder.JSON.treeToValue(config, TrainConfig.class).normalize()).isNull();
  }

  @Test
  void theKindAndItsPercentilesAreRecordedInModelJson() throws Exception {
    ModelSpec spec = ModelSpec.builder().setChannels(2).addTask(org.lazyseg.train.Task.of("fg", 2))
        .optNormalization(Normalization.percentile(2)).build();
    String json = RunFolder.JSON.writeValueAsString(new RunFolder.SavedModel(spec, 64));
    assertThat(json).contains("\"kind\" : \"percentile\"").contains("1.0, 99.8");
    Normalization back = RunFolder.JSON.readValue(json, RunFolder.SavedModel.class).spec()
        .normalization();
    assertThat(back.kind()).isEqualTo(Normalization.PERCENTILE);
    assertThat(back.percentiles()).containsExactly(1.0, 99.8);
    assertThat(back.shiftAndScale(hundred())).isDeepEqualTo(
        Normalization.percentile(2).shiftAndScale(hundred()));
    assertThatThrownBy(() -> new Normalization("minmax", new float[1], new float[1], null))
        .hasMessageContaining("unknown normalisation 'minmax'");
    assertThatThrownBy(() -> TrainConfig.builder().optNormalize("percentiles"))
        .hasMessageContaining("dataset or percentile");
  }

  @Test
  void trainingCropsAreNormalisedByTheirWholeImagesPercentiles() {
    // Left half dark (0..49), right half bright (50..99): a crop of the left half alone has
    // other percentiles than the image, so per-crop statistics would show.
    FloatImage image = new FloatImage(20, 5, 1);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 20; x++) {
        image.set(0, x, y, x < 10 ? y * 10 + x : 50 + y * 10 + x - 10);
      }
    }
    Normalization p = Normalization.percentile(1);
    float[][] n = p.shiftAndScale(image);
    Augmenter a = new Augmenter(4, Augmentation.none(), p);
    Example e = Example.of("halves", image, new LabelImage(20, 5));
    Random rng = new Random(2);
    for (int k = 0; k < 10; k++) {
      float[] x = new float[16];
      int[][] y = new int[1][16];
      a.sample(e, rng, x, 0, y, 0);
      for (float v : x) {
        // Each value is a pixel value 0..99 under the whole image's shift and scale.
        int raw = Math.round(v / n[1][0] + n[0][0]);
        assertThat(raw).isBetween(0, 99);
        assertThat((raw - n[0][0]) * n[1][0]).isEqualTo(v);
      }
    }
  }
}
