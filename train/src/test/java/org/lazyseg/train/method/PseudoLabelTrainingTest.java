package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
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
}
