package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.testing.DiscDatasets;

/** A run folder holds one training: resuming it with another method is refused. */
class TrainingJobTest {
  @TempDir Path dir;

  private TrainingJob job(Dataset data, String method) {
    TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(2).optThreads(1).optSeed(3).build();
    return new TrainingJob(data, Methods.create(method, Map.of()),
        new TrainingData.Selection("train", 1.0, 0, 0), tiny).optWidth(4).optDepth(3);
  }

  @Test
  void anotherMethodIntoAFinishedRunIsRefusedAndTheSameOneResumes() throws IOException {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    Path run = dir.resolve("run");
    TrainingJob first = job(data, "supervised");
    first.run(run, first.load(ProgressCallback.NONE));
    TrainingJob other = job(data, "weak-only");
    assertThatThrownBy(() -> other.run(run, other.load(ProgressCallback.NONE)))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("method supervised, now weak-only");
    TrainingJob again = job(data, "supervised");
    assertThat(again.run(run, again.load(ProgressCallback.NONE)).epochs()).isEqualTo(1);
  }

  /**
   * Without strong masks the least object area comes from the partial masks' cores: with
   * class ids (two classes) each connected core is one object, not all cores of a class.
   */
  @Test
  void theLeastAreaOfPartialMasksWithClassIdsCountsEachCore() {
    org.lazyseg.core.image.LabelImage partial = new org.lazyseg.core.image.LabelImage(40, 10);
    for (int k = 0; k < 4; k++) {          // four 3 x 3 cores, alternately of class 1 and 2
      for (int y = 2; y < 5; y++) {
        for (int x = 10 * k; x < 10 * k + 3; x++) {
          partial.set(x, y, 1 + k % 2);
        }
      }
    }
    org.lazyseg.core.data.LabeledImage image = org.lazyseg.core.data.LabeledImage.of("a",
        new org.lazyseg.core.image.FloatImage(40, 10, 1)).withPartial(partial);
    TrainingData td = new TrainingData(java.util.List.of(), java.util.List.of(),
        java.util.Set.of(), 1, Map.of("a", image), Map.of());
    assertThat(TrainingJob.leastObjectArea(td, 2)).isEqualTo(9 / 4);
    assertThat(TrainingJob.leastObjectArea(td, 1)).as("one class: values are instance ids")
        .isEqualTo(18 / 4);
  }
}
