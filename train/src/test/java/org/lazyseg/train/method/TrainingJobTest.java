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
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.testing.DiscDatasets;

/** A run folder holds one training: resuming it with another method is refused. */
class TrainingJobTest {
  @TempDir Path dir;

  /** Two steps of batch 2 on 32-pixel crops. */
  private static TrainConfig.Builder tiny() {
    return TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setEpochs(1).setStepsPerEpoch(2).optThreads(1).optSeed(3);
  }

  private TrainingJob job(Dataset data, String method) {
    return job(data, method, tiny().build());
  }

  private TrainingJob job(Dataset data, String method, TrainConfig config) {
    return new TrainingJob(data, Methods.create(method, Map.of()),
        new TrainingData.Selection("train", 1.0, 0, 0), config).optWidth(4).optDepth(3);
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

  private static TrainingJob.Record record(Path run) throws IOException {
    return RunFolder.read(run.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class);
  }

  private static void refused(TrainingJob job, Path run, String what) {
    assertThatThrownBy(() -> job.run(run, job.load(ProgressCallback.NONE)))
        .isInstanceOf(RunFolder.ConflictException.class).hasMessageContaining(what);
  }

  /**
   * The annealed share (0 for a constant rate) and the crops' augmentation are recorded after
   * the method's defaults, and a resume must repeat them.
   */
  @Test
  void theAnnealedShareAndAugmentationAreRecordedAndAResumeWithOthersIsRefused()
      throws IOException {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    Path run = dir.resolve("run");
    TrainingJob first = job(data, "supervised", tiny().optAnneal(0.5).build());
    first.run(run, first.load(ProgressCallback.NONE));
    assertThat(record(run).anneal()).isEqualTo(0.5);
    assertThat(record(run).augmentation()).isEqualTo(Augmentation.flipsAndRotations());
    TrainingJob constant = job(data, "supervised");
    refused(constant, run, "anneal 0.5, now 0.0");
    Path other = dir.resolve("other");
    constant.run(other, constant.load(ProgressCallback.NONE));
    assertThat(record(other).anneal()).isZero();

    Path pseudoRun = dir.resolve("pseudo");
    TrainingJob pseudo = job(data, "pseudo-labels");   // augments fully by default
    pseudo.run(pseudoRun, pseudo.load(ProgressCallback.NONE));
    assertThat(record(pseudoRun).augmentation()).isEqualTo(Augmentation.full());
    refused(job(data, "pseudo-labels",
        tiny().setAugmentation(Augmentation.flipsAndRotations()).build()), pseudoRun,
        "augmentation full, now basic");
  }

  @Test
  void otherSettingsSeedOrFractionAreRefusedNamingWhatDiffersAndRestartSetsTheOldRunAside()
      throws Exception {
    Dataset data = Dataset.open(DiscDatasets.write(dir.resolve("data"), 3, 48, 5));
    Path run = dir.resolve("run");
    TrainingJob first = job(data, "multitask");
    first.run(run, first.load(ProgressCallback.NONE));
    TrainConfig tiny = tiny().build();
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
        java.util.Set.of(), 1, Map.of("a", image), Map.of(), 1);
    assertThat(TrainingJob.leastObjectArea(td, 2)).isEqualTo(9 / 4);
    assertThat(TrainingJob.leastObjectArea(td, 1)).as("one class: values are instance ids")
        .isEqualTo(18 / 4);
  }
}
