package org.lazyseg.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.engine.TrainingRun;
import org.lazyseg.train.testing.Discs;

/**
 * A model trained with per-image percentile normalisation segments an image, the image with
 * its intensities 16 times larger (as a 12-bit camera's) and a float copy mapped to [0, 1]
 * alike; one trained on the same images with the dataset mean and std does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PercentileNormalizationTest {
  private Path percentile, dataset;
  private Example test;

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    List<LabeledImage> images = new ArrayList<>();
    for (Example e : Discs.examples(8, 48, 11)) {
      images.add(LabeledImage.of(e.id(), e.image()).withMask(e.targets()[0]));
    }
    TrainingSet set = TrainingSet.of(List.of("disc"), images);
    TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(4).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(40).optValidationTile(32).build();
    percentile = dir.resolve("percentile");
    dataset = dir.resolve("dataset");
    Training.of("supervised").optConfig(tiny).optWidth(4).optDepth(3).optThreads(1)
        .optNormalization(Normalization.PERCENTILE).run(set, "memory", percentile);
    Training.of("supervised").optConfig(tiny).optWidth(4).optDepth(3).optThreads(1)
        .run(set, "memory", dataset);
    test = Discs.examples(1, 64, 12).get(0);
  }

  private static FloatImage scaled(FloatImage image, float factor) {
    FloatImage out = image.copy();
    float[] d = out.data();
    for (int i = 0; i < d.length; i++) {
      d[i] *= factor;
    }
    return out;
  }

  /** Min..max mapped to [0, 1], as a float TIFF outside [0, 1] is read. */
  private static FloatImage unit(FloatImage image) {
    float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
    for (float v : image.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    FloatImage out = image.copy();
    for (int i = 0; i < out.data().length; i++) {
      out.data()[i] = (out.data()[i] - min) / (max - min);
    }
    return out;
  }

  private static LabelImage classes(Path run, FloatImage image) throws IOException {
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1).withMinArea(0))) {
      return model.segment(image).classes();
    }
  }

  @Test
  void theModelRecordsItsNormalisation() {
    Normalization n = new RunFolder(percentile).readModel().spec().normalization();
    assertThat(n.kind()).isEqualTo(Normalization.PERCENTILE);
    assertThat(n.percentiles()).containsExactly(1.0, 99.8);
    assertThat(new RunFolder(dataset).readModel().spec().normalization().kind())
        .isEqualTo(Normalization.DATASET);
  }

  @Test
  void scaledIntensitiesGiveTheSameLabels() throws IOException {
    LabelImage plain = classes(percentile, test.image());
    assertThat(TrainingRun.dice(plain, test.targets()[0])).as("it learned the discs")
        .isGreaterThan(0.7);
    FloatImage twelveBit = scaled(test.image(), 16);
    assertThat(classes(percentile, twelveBit).data()).isEqualTo(plain.data());
    assertThat(classes(percentile, unit(twelveBit)).data()).isEqualTo(plain.data());
  }

  @Test
  void theDatasetMeanAndStdDoNot() throws IOException {
    LabelImage plain = classes(dataset, test.image());
    assertThat(TrainingRun.dice(plain, test.targets()[0])).isGreaterThan(0.7);
    assertThat(TrainingRun.dice(classes(dataset, scaled(test.image(), 16)), test.targets()[0]))
        .isLessThan(0.7);
  }
}
