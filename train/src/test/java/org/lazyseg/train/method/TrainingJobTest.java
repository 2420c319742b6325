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
}
