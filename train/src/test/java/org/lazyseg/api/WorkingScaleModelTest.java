package org.lazyseg.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Resize;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TrainingJob;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/** A model trained at half scale: recorded, applied when segmenting, kept on resume. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkingScaleModelTest {
  private Path run;
  private TrainingSet set;
  private final TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(2)
      .setLearningRate(1e-3).setEpochs(1).setStepsPerEpoch(3).optValidationTile(32).build();
  private final FloatImage large =
      new FoamGenerator(150, 110, FoamGenerator.Settings.defaults()).generate(7).image();

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    FoamGenerator foam = new FoamGenerator(96, 96, FoamGenerator.Settings.defaults());
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      FoamImage f = foam.generate(i);
      images.add(LabeledImage.of("f" + i, f.image()).withInstanceMask(f.instances()));
    }
    set = TrainingSet.of(List.of("cell"), images);
    run = dir.resolve("run");
    training().optScale(0.5).train(set, run).close();
  }

  private Training training() {
    return Training.of("supervised").optConfig(tiny).optWidth(4).optDepth(3).optThreads(1);
  }

  @Test
  void theRunRecordsItsScaleAndItsLeastAreaInTheInputsPixels() {
    TrainingJob.Record r = RunFolder.read(run.resolve(TrainingJob.RECORD_FILE),
        TrainingJob.Record.class);
    assertThat(r.workingScale()).isEqualTo(0.5);
    List<LabelImage> shrunk = set.train().stream()
        .map(i -> i.scaled(0.5).instances().orElseThrow()).toList();
    assertThat(r.minArea()).isPositive()
        .isEqualTo(Math.round(Components.leastObjectArea(shrunk) / 0.25f));
  }

  @Test
  void segmentingShrinksTheImageAndEnlargesTheLabelsToItsSize() throws IOException {
    Method method = Methods.ofRun(run);
    FloatImage small = Resize.scaled(large, 0.5);
    assertThat(small.width()).isEqualTo(75);
    Segmentation expected;
    try (Predictor p = Predictor.open(run, RunFolder.BEST, Precision.FP32)) {
      p.setWholeImagePixels(Predictor.wholeImagePixels(p.spec()));   // as the model does
      Segmentation s = method.segment(p, small);
      LabelImage[] up = Resize.enlargeLabels(s.classes(), s.instances(), 150, 110);
      expected = new Segmentation(up[0], up[1], null);
    }
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1).withMinArea(0)
            .withPrecision(Precision.FP32))) {
      assertThat(model.workingScale()).isEqualTo(0.5);
      assertThat(model.describe()).contains("working scale 0.5");
      Segmentation whole = model.segment(large);
      assertThat(whole.classes().data()).isEqualTo(expected.classes().data());
      assertThat(whole.instances().data()).isEqualTo(expected.instances().data());
      assertThat(whole.probabilities()[0]).hasSize(150 * 110);

      float[] fg = new float[150 * 110];
      Segmentation bands = model.segmentInBands(large, fg);
      assertThat(bands.classes().data()).isEqualTo(whole.classes().data());
      assertThat(bands.instances().data()).isEqualTo(whole.instances().data());
      float[] wholeFg = whole.foregroundProbability();
      for (int i = 0; i < fg.length; i += 97) {
        assertThat(fg[i]).isCloseTo(wholeFg[i], within(1e-5f));
      }

      assertThat(model.decodesRegions()).isFalse();
      assertThatThrownBy(() -> model.decodeRegion(large, 0, 0, new LabelImage(10, 10), null,
          null)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("segmentInBands");
      LabelImage classes = new LabelImage(40, 30);
      model.segment(large, 20, 10, classes, null);
      assertThat(classes.max()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void anExportTakesTheShrunkSampleAndSaysSo(@TempDir Path dir) throws IOException {
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      var exported = model.export(large, dir.resolve("x"), "half", "tests", null);
      assertThat(exported.side()).as("the 75 x 55 shrunk sample, multiples of 4").isEqualTo(52);
      assertThat(java.nio.file.Files.readString(dir.resolve("x").resolve("rdf.yaml")))
          .contains("shrunk by a factor of 0.5");
    }
  }

  @Test
  void aResumeAtAnotherScaleIsRefused() {
    assertThatThrownBy(() -> training().optScale(1.0).train(set, run))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("working scale 0.5, now 1.0");
  }

  @Test
  void underAutoAResumedRunKeepsItsOwnScale(@TempDir Path dir) throws IOException {
    Path own = dir.resolve("own");
    training().optScale(0.5).train(set, own).close();
    List<String> messages = new ArrayList<>();
    training().optScale(TrainConfig.AUTO_SCALE).addListener(messages(messages))
        .train(set, own).close();
    assertThat(messages).contains("resuming at the run's own working scale 0.5 (auto now"
        + " gives 1.0)");
    assertThat(RunFolder.read(own.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .workingScale()).isEqualTo(0.5);
  }

  private static org.lazyseg.train.engine.TrainingListener messages(List<String> into) {
    return new org.lazyseg.train.engine.TrainingListener() {
      @Override
      public void onMessage(String message) {
        into.add(message);
      }
    };
  }

  @Test
  void autoChoosesTheScaleFromTheObjectsAndRecordsIt(@TempDir Path dir) throws IOException {
    // one 40 x 40 square per image: d = sqrt(4 * 1600 / pi) = 45.1, crop 32: 32 / 90.3 = 0.35
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      LabelImage ids = new LabelImage(96, 96);
      for (int y = 20; y < 60; y++) {
        for (int x = 10 + i; x < 50 + i; x++) {
          ids.set(x, y, 1);
        }
      }
      FloatImage image = new FloatImage(96, 96, 1);
      for (int p = 0; p < ids.data().length; p++) {
        image.data()[p] = ids.data()[p];
      }
      images.add(LabeledImage.of("s" + i, image).withInstanceMask(ids));
    }
    Path auto = dir.resolve("auto");
    List<String> messages = new ArrayList<>();
    training().optScale(TrainConfig.AUTO_SCALE).addListener(messages(messages))
        .train(TrainingSet.of(List.of("square"), images), auto).close();
    assertThat(RunFolder.read(auto.resolve(TrainingJob.RECORD_FILE), TrainingJob.Record.class)
        .workingScale()).isEqualTo(0.35);
    assertThat(messages).anyMatch(m -> m.startsWith("working scale 0.35 (auto"));
  }
}
