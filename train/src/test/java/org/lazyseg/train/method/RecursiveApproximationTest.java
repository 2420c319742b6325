package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.EpochStats;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.testing.DiscDatasets;

class RecursiveApproximationTest {
  @TempDir Path dir;

  @Test
  void optionsAreParsedCheckedAndRecorded() {
    RecursiveApproximation m = (RecursiveApproximation) Methods.create("recursive",
        Map.of("rounds", "4", "lambda", "0.3", "lambda-pred", "inf", "prediction", "grow-keep"));
    assertThat(m.values().rounds()).isEqualTo(4);
    assertThat(m.values().lambdaPred()).isInfinite();
    assertThat(m.values().prediction()).isEqualTo("grow-keep");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("prediction", "x")))
        .hasMessageContaining("grow-keep");
    assertThat(Methods.create("recursive", m.options()).options()).isEqualTo(m.options());
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("lamda", "1")))
        .hasMessageContaining("lamda").hasMessageContaining("lambda-pred");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("lambda", "-1")))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("rounds", "x")))
        .hasMessageContaining("whole number");
    // strong-share reaches the batches; auto by default, always recorded.
    assertThat(m.options()).containsEntry("strong-share", "auto");
    assertThat(m.adjust(TrainConfig.profile("quick").build()).strongShare()).isNaN();
    Method shared = Methods.create("recursive", Map.of("strong-share", "0.5"));
    assertThat(shared.adjust(TrainConfig.profile("quick").build()).strongShare())
        .isEqualTo(0.5);
    assertThat(Methods.create("recursive", shared.options()).options())
        .containsEntry("strong-share", "0.5");
    Method auto = Methods.create("recursive", Map.of("strong-share", "auto"));
    assertThat(auto.adjust(TrainConfig.profile("quick").build()).strongShare()).isNaN();
    assertThat(Methods.create("recursive", auto.options()).options())
        .containsEntry("strong-share", "auto");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("strong-share", "1.5")))
        .hasMessageContaining("strong-share");
    // seed-threshold: auto (NaN until settled after training) or a number in (0, 1)
    assertThat(m.values().seedThreshold()).isNaN();
    assertThat(m.options()).containsEntry("seed-threshold", "auto");
    RecursiveApproximation settled = (RecursiveApproximation) Methods.create("recursive",
        Map.of("seed-threshold", "0.95"));
    assertThat(settled.values().seedThreshold()).isEqualTo(0.95);
    assertThat(Methods.create("recursive", settled.options()).options())
        .containsEntry("seed-threshold", "0.95");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("seed-threshold", "1")))
        .hasMessageContaining("seed-threshold").hasMessageContaining("(0, 1)");
    assertThat(m.options()).doesNotContainKey("min-seed");
    assertThat(Methods.create("recursive", Map.of("min-seed", "40")).options())
        .containsEntry("min-seed", "40");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("min-seed", "-1")))
        .hasMessageContaining("min-seed");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("strong-share", "2")))
        .hasMessageContaining("strong-share").hasMessageContaining("[0, 1]");
  }

  @Test
  void roundsSplitTheProfilesStepsUnlessGiven() {
    TrainConfig quick = TrainConfig.profile("quick").build();          // 5 x 100 steps
    TrainConfig a = new RecursiveApproximation().adjust(quick);
    assertThat(a.rounds()).isEqualTo(10);
    assertThat(a.epochsPerRound() * a.stepsPerEpoch() * a.rounds()).isEqualTo(500);
    TrainConfig paper = TrainConfig.profile("paper").build();          // 100 x 100 steps
    TrainConfig b = new RecursiveApproximation().adjust(paper);
    assertThat(b.epochsPerRound()).isEqualTo(10);
    TrainConfig c = Methods.create("recursive", Map.of("rounds", "3", "steps-per-round", "7"))
        .adjust(paper);
    assertThat(List.of(c.rounds(), c.epochsPerRound(), c.stepsPerEpoch()))
        .containsExactly(3, 1, 7);
  }

  // ---- training on synthetic discs ----

  private static TrainConfig tinyConfig() {
    return TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setStepsPerEpoch(4).optThreads(1).optSeed(3).build();
  }

  private TrainingJob job(Path data, Map<String, String> options) {
    return new TrainingJob(Dataset.open(data), Methods.create("recursive", options),
        new TrainingData.Selection("train", 0.25, 0, 0), tinyConfig()).optWidth(4).optDepth(3);
  }

  @Test
  void theHookWritesEveryRoundAndAResumeReadsItsLabelsBack() throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 8, 48, 11);
    Path run = dir.resolve("run");
    Map<String, String> options = Map.of("rounds", "3", "epochs-per-round", "2",
        "overlays", "1");
    // Killed at the end of epoch 3: in round 1, whose labels round 0's hook wrote.
    TrainingJob first = job(data, options).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochStats s) {
        if (s.epoch() == 3) {
          throw new IllegalStateException("killed");
        }
      }
    });
    assertThatThrownBy(() -> first.run(run, first.load(ProgressCallback.NONE)))
        .hasMessageContaining("killed");
    Path round1 = Rounds.roundDir(run, 1);
    assertThat(round1.resolve(Rounds.DICE_FILE)).isRegularFile();
    assertThat(Rounds.roundDir(run, 2)).doesNotExist();
    Map<String, byte[]> written = new HashMap<>();
    List<String> weak;
    try (var files = Files.list(round1)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) {
        written.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    assertThat(written).hasSize(6);                      // 8 images, 2 strong
    assertThat(run.resolve(Rounds.CSV)).isRegularFile();
    assertThat(Files.readAllLines(run.resolve(Rounds.CSV))).hasSize(3);   // header, 0, 1
    assertThat(run.resolve(Rounds.PLOT)).isRegularFile();
    assertThat(run.resolve("rounds/evolution")).isDirectoryContaining("glob:**.png");

    // What the engine does on resume: the hook for round 0 again, with the restored network.
    // The complete round folder is read back: the labels are exactly those trained on.
    RecursiveApproximation method = (RecursiveApproximation) Methods.create("recursive", options);
    TrainingJob again = new TrainingJob(Dataset.open(data), method,
        new TrainingData.Selection("train", 0.25, 0, 0), tinyConfig());
    TrainingData td = again.load(ProgressCallback.NONE);
    Rounds hook = (Rounds) method.roundHook(td, run, again.config());
    weak = hook.weakIds();
    hook.afterRound(0, null, td.train());   // no prediction needed: it reads the files
    for (Example e : td.train()) {
      if (weak.contains(e.id())) {
        assertThat(e.targets()[1].data()).isEqualTo(
            ImageFiles.readLabels(round1.resolve(e.id() + ".png")).data());
      }
    }

    // The resumed run finishes; round 1's files are untouched, round 2 appears.
    TrainingJob resumed = job(data, options);
    assertThat(resumed.run(run, resumed.load(ProgressCallback.NONE)).epochs()).isEqualTo(6);
    for (Map.Entry<String, byte[]> f : written.entrySet()) {
      assertThat(Files.readAllBytes(round1.resolve(f.getKey()))).isEqualTo(f.getValue());
    }
    assertThat(Rounds.roundDir(run, 2).resolve(Rounds.DICE_FILE)).isRegularFile();
    assertThat(hook.rows()).extracting(Rounds.Row::round).containsExactly(0, 1, 2);
    assertThat(hook.rows()).allMatch(r -> r.images() == 6 && r.meanDice() != null);
  }

  @Test
  void farBackgroundGivesWeakImagesASegmentationTargetWithTheirBoundaryUnlabelled(
      @TempDir Path dir) {
    Dataset data = Dataset.open(org.lazyseg.train.testing.DiscDatasets.write(dir, 2, 96, 3));
    Method far = Methods.create("recursive", Map.of("far-background", "3"));
    assertThat(far.options()).containsEntry("far-background", "3.0");
    assertThat(Methods.create("recursive", far.options()).options()).isEqualTo(far.options());
    assertThat(new RecursiveApproximation().options()).containsEntry("far-background", "auto");
    for (org.lazyseg.core.data.Sample s : data.samples()) {
      LabelImage[] weak = far.targets(s.labeled().withoutMask(), 1);
      LabelImage[] plain = new RecursiveApproximation().targets(s.labeled().withoutMask(), 1);
      assertThat(plain[0]).isNull();
      assertThat(weak[1].data()).as("the approximation target is unchanged")
          .isEqualTo(plain[1].data());
      assertThat(weak[0].data()).contains(LabelImage.IGNORE, 0, 1);
      assertThat(far.targets(s.labeled(), 1)[0].data()).isEqualTo(s.loadClasses().data());
    }
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("far-background", "-2")))
        .hasMessageContaining("far-background must be a number >= 0 or auto, not '-2'");
  }

  @Test
  void autoFarBackgroundIsOnOnlyWhereTheAnnotatorMarksEveryObject(@TempDir Path dir) {
    TrainingSet set = Dataset.open(org.lazyseg.train.testing.DiscDatasets.write(dir, 4, 96, 5))
        .trainingSet("train");
    RecursiveApproximation auto = new RecursiveApproximation();
    assertThat(auto.forData(set).options()).containsEntry("far-background", "3.0");
    // the annotator skipped one object of one image that has both labels: off
    List<LabeledImage> skipped = new java.util.ArrayList<>(set.train());
    LabeledImage first = skipped.get(0);
    LabelImage ids = first.instances().orElseThrow();
    LabelImage partial = first.partial().orElseThrow().copy();
    for (int i = 0; i < ids.data().length; i++) {
      if (ids.data()[i] == 1) {
        partial.data()[i] = 0;
      }
    }
    skipped.set(0, LabeledImage.of(first.id(), first.image()).withMask(first.mask().orElseThrow())
        .withPartial(partial));
    assertThat(auto.forData(TrainingSet.of(set.classNames(), skipped)).options())
        .containsEntry("far-background", "0.0");
    // no image with both labels: nothing shows the habit, off
    assertThat(auto.forData(set.withStrongFraction(0, 0)).options())
        .containsEntry("far-background", "0.0");
    // given: kept as given
    assertThat(Methods.create("recursive", Map.of("far-background", "0"))
        .forData(set).options()).containsEntry("far-background", "0.0");
  }
}
