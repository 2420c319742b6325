package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.api.Training;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.testing.DiscDatasets;

class PseudoLabelTrainingTest {
  @TempDir Path dir;

  @Test
  void weakImagesTrainOnGrabCutMasksThatBeatTheirPartialMasks() {
    Dataset data = Dataset.open(DiscDatasets.write(dir, 3, 64, 4));
    Method m = Methods.byName(PseudoLabelTraining.NAME);
    for (Sample s : data.samples()) {
      LabelImage truth = s.loadClasses();
      LabelImage pseudo = m.targets(s.labeled().withoutMask(), 1)[0];
      assertThat(pseudo.max()).isEqualTo(1);
      assertThat(PixelMeasures.dice(truth, pseudo))
          .isGreaterThan(PixelMeasures.dice(truth, s.loadPartial()));
      assertThat(m.targets(s.labeled(), 1)[0].data()).isEqualTo(truth.data());
    }
  }

  /** Two squares that touch along a column come apart by a 2-pixel line; a lone one stays. */
  @Test
  void touchingPseudoObjectsAreKeptApartByABackgroundLine() {
    LabelImage objects = new LabelImage(12, 4);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        objects.set(x, y, x < 4 ? 1 : 2);   // 1 in columns 0-3, 2 in 4-7: they touch at 3|4
      }
      objects.set(10, y, 3);                // alone
    }
    LabelImage apart = PseudoLabelTraining.apart(objects);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 12; x++) {
        int expected = x <= 2 || (x >= 5 && x <= 7) || x == 10 ? 1 : 0;
        assertThat(apart.get(x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
      }
    }
  }

  /** Where no two pseudo objects touch, the setting changes nothing; it is recorded when on. */
  @Test
  void separateTouchingChangesNothingWhereNoObjectsTouch() {
    Dataset data = Dataset.open(DiscDatasets.write(dir, 3, 64, 4));
    Method plain = Methods.byName(PseudoLabelTraining.NAME);
    Method apart = Methods.create(PseudoLabelTraining.NAME, Map.of("separate-touching", "true"));
    assertThat(apart.options()).containsExactly(Map.entry("separate-touching", "true"));
    for (Sample s : data.samples()) {
      assertThat(apart.targets(s.labeled().withoutMask(), 1)[0].data())
          .isEqualTo(plain.targets(s.labeled().withoutMask(), 1)[0].data());
    }
  }

  @Test
  void splitReadOutSettlesItsSeedsAfterTrainingAndRecordsThem() throws IOException {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 4, 48, 5));
    assertThat(new PseudoLabelTraining().options()).isEmpty();
    TrainConfig tiny = TrainConfig.builder().setCrop(48).setBatch(2).setLearningRate(1e-3)
        .setEpochs(1).setStepsPerEpoch(2).optValidationTile(48).build();
    Path run = dir.resolve("run");
    Training.of(PseudoLabelTraining.NAME).optSetting("prediction", "split").optConfig(tiny)
        .optStrongFraction(0.25).optWidth(4).optDepth(2).optThreads(1)
        .run(data.trainingSet("train"), "memory", run);
    assertThat(run.resolve(SeededGrowth.SEED_THRESHOLD_FILE)).isRegularFile();
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      Map<String, String> settled = model.methodSettings();
      assertThat(settled).containsEntry("prediction", "split").containsKey("seed-threshold");
      assertThat(model.segment(data.samples().get(0).loadImage()).instances().width())
          .isEqualTo(48);
    }
  }
}
