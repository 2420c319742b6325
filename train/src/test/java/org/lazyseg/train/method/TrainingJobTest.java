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

  /** The annealed share is recorded (0 for a constant rate) and a resume must repeat it. */
  @Test
  void theAnnealedShareIsRecordedAndAResumeWithAnotherIsRefused() throws IOException {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    TrainConfig annealed = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(2).optThreads(1).optSeed(3).optAnneal(0.5).build();
    Path run = dir.resolve("run");
    TrainingJob first = new TrainingJob(data, Methods.create("supervised", Map.of()),
        new TrainingData.Selection("train", 1.0, 0, 0), annealed).optWidth(4).optDepth(3);
    first.run(run, first.load(ProgressCallback.NONE));
    assertThat(RunFolder.read(run.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .anneal()).isEqualTo(0.5);
    TrainingJob constant = job(data, "supervised");
    assertThatThrownBy(() -> constant.run(run, constant.load(ProgressCallback.NONE)))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("anneal 0.5, now 0.0");
    Path other = dir.resolve("other");
    constant.run(other, constant.load(ProgressCallback.NONE));
    assertThat(RunFolder.read(other.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .anneal()).isZero();
  }

  /** The crops' augmentation is recorded after the method's default; a resume repeats it. */
  @Test
  void theAugmentationIsRecordedAfterTheMethodsDefaultAndAResumeWithAnotherIsRefused()
      throws IOException {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    Path run = dir.resolve("run");
    TrainingJob pseudo = job(data, "pseudo-labels");
    pseudo.run(run, pseudo.load(ProgressCallback.NONE));
    assertThat(RunFolder.read(run.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .augmentation()).isEqualTo(org.lazyseg.train.data.Augmentation.full());
    TrainConfig basic = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(2).optThreads(1).optSeed(3)
        .setAugmentation(org.lazyseg.train.data.Augmentation.flipsAndRotations()).build();
    TrainingJob again = new TrainingJob(data, Methods.create("pseudo-labels", Map.of()),
        new TrainingData.Selection("train", 1.0, 0, 0), basic).optWidth(4).optDepth(3);
    assertThatThrownBy(() -> again.run(run, again.load(ProgressCallback.NONE)))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("augmentation full, now basic");
  }

  @Test
  void otherSettingsSeedOrFractionAreRefusedNamingWhatDiffersAndRestartSetsTheOldRunAside()
      throws Exception {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    Path run = dir.resolve("run");
    TrainingJob first = job(data, "multitask");
    first.run(run, first.load(ProgressCallback.NONE));
    TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(2).optThreads(1).optSeed(3).build();
    TrainingJob changed = new TrainingJob(data,
        Methods.create("multitask", Map.of("far-background", "3")),
        new TrainingData.Selection("train", 0.5, 0, 7), tiny).optWidth(4).optDepth(3);
    assertThatThrownBy(() -> changed.run(run, changed.load(ProgressCallback.NONE)))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("far-background")
        .hasMessageContaining("strong fraction 1.0, now 0.5")
        .hasMessageContaining("seed 0, now 7")
        .hasMessageContaining("--restart");
    java.nio.file.Files.writeString(run.resolve("my-notes.txt"), "keep me");
    java.util.List<String> messages = new java.util.ArrayList<>();
    changed.optRestart(true).addListener(new org.lazyseg.train.engine.TrainingListener() {
      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    });
    assertThat(changed.run(run, changed.load(ProgressCallback.NONE)).epochs()).isEqualTo(1);
    assertThat(messages).singleElement().asString().contains("before-restart");
    Path aside = Path.of(messages.get(0).substring(messages.get(0).indexOf(" in ") + 4));
    assertThat(java.nio.file.Files.readString(aside.resolve("my-notes.txt"))).isEqualTo("keep me");
    assertThat(aside.resolve("checkpoints/last")).isDirectory();
    assertThat(run.resolve("my-notes.txt")).doesNotExist();
    assertThat(RunFolder.read(run.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .startOptions()).containsEntry("far-background", "3.0");
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
