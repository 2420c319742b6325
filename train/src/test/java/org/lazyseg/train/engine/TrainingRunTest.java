package org.lazyseg.train.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.Parameters;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.testing.Discs;

class TrainingRunTest {
  @TempDir Path dir;

  private static ModelSpec tinySpec(Task... tasks) {
    ModelSpec.Builder b = ModelSpec.builder().setChannels(1).optWidth(4).optDepth(3);
    for (Task t : tasks) {
      b.addTask(t);
    }
    return b.build();
  }

  private static TrainConfig.Builder tinyConfig() {
    return TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(3e-3)
        .setStepsPerEpoch(3).optThreads(1).optSeed(7);
  }

  @Test
  void learnsBrightDiscsOnDarkNoise() throws IOException {
    List<Example> train = Discs.examples(12, 64, 1);
    List<Example> heldOut = Discs.examples(4, 64, 2);
    TrainConfig config = TrainConfig.builder().setCrop(48).setBatch(4).setLearningRate(1e-2)
        .setEpochs(2).setStepsPerEpoch(50).optThreads(1).optSeed(1).build();
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .optWidth(4).build();
    TrainingResult r = new TrainingRun(dir, spec, config).run(train, heldOut);
    assertThat(r.steps()).isEqualTo(100);
    try (Predictor p = Predictor.open(dir, RunFolder.BEST)) {
      double dice = 0;
      for (Example e : heldOut) {
        dice += TrainingRun.dice(p.segment(e.image(), 0), e.targets()[0]) / heldOut.size();
      }
      assertThat(dice).isGreaterThan(0.8);
    }
  }

  @Test
  void aResumedRunKeepsItsNormalisationAndRefusesTheOther(@TempDir Path other)
      throws IOException {
    List<Example> train = Discs.examples(2, 40, 3);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(dir, spec, tinyConfig().setEpochs(1)
        .optNormalize(Normalization.PERCENTILE).build()).run(train, List.of());
    // Not named: the run's own.
    new TrainingRun(dir, spec, tinyConfig().setEpochs(2).build()).run(train, List.of());
    Normalization n = new RunFolder(dir).readModel().spec().normalization();
    assertThat(n.kind()).isEqualTo(Normalization.PERCENTILE);
    assertThatThrownBy(() -> new TrainingRun(dir, spec, tinyConfig().setEpochs(3)
        .optNormalize(Normalization.DATASET).build()).run(train, List.of()))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("normalisation percentile, now dataset");
    // A new run without one gets the default kind, with the training images' mean and std.
    new TrainingRun(other, spec, tinyConfig().setEpochs(1).build()).run(train, List.of());
    Normalization d = new RunFolder(other).readModel().spec().normalization();
    assertThat(d.kind()).isEqualTo(Normalization.DEFAULT_KIND);
    if (d.kind().equals(Normalization.DATASET)) {
      assertThat(d.mean()[0]).isBetween(0.2f, 0.7f);
    }
  }

  @Test
  void resumesAfterTheLastCheckpointedEpoch() throws IOException {
    List<Example> train = Discs.examples(3, 40, 3);
    List<Example> val = Discs.examples(1, 40, 4);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(dir, spec, tinyConfig().setEpochs(2).build()).run(train, val);
    assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(1 + 2);

    List<Integer> epochsRun = new ArrayList<>();
    TrainingResult r = new TrainingRun(dir, spec, tinyConfig().setEpochs(3).build())
        .addListener(new TrainingListener() {
          @Override
          public void onEpochEnd(EpochStats s) {
            epochsRun.add(s.epoch());
          }
        })
        .run(train, val);
    assertThat(epochsRun).containsExactly(3);
    assertThat(r.epochs()).isEqualTo(3);
    assertThat(r.steps()).isEqualTo(9);
    assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(1 + 3);
    assertThat(dir.resolve("curves.png")).isNotEmptyFile();
    assertThat(dir.resolve("checkpoints/last/state.json")).isNotEmptyFile();
    assertThat(dir.resolve("checkpoints/best/parameters.bin")).isNotEmptyFile();
    try (java.util.stream.Stream<java.nio.file.Path> entries = Files.list(dir.resolve("checkpoints"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("no temporaries left").containsExactlyInAnyOrder("last", "previous", "best");
    }
    assertThat(RunFolder.read(dir.resolve("checkpoints/last/state.json"), CheckpointState.class)
        .epoch()).isEqualTo(3);
    // The time of all epochs, whichever start trained them: what a resumed run took in all.
    RunFolder folder = new RunFolder(dir);
    double sum = 0;
    for (String line : Files.readAllLines(dir.resolve("metrics.csv")).subList(1, 4)) {
      sum += Double.parseDouble(line.split(",")[5]);
    }
    assertThat(folder.epochSeconds(3)).isEqualTo(sum, org.assertj.core.data.Offset.offset(1e-9))
        .isGreaterThan(folder.epochSeconds(2)).isPositive();
    assertThat(folder.epochSeconds(0)).isZero();
  }

  @Test
  void aResumedRunContinuesFromTheCheckpointedWeights() throws Exception {
    List<Example> train = Discs.examples(2, 32, 10);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(dir, spec, tinyConfig().setEpochs(1).build()).run(train, List.of());
    float[] before = firstConvWeights();
    // A vanishing learning rate: if resuming re-initialised the network, weights would jump.
    new TrainingRun(dir, spec, tinyConfig().setEpochs(2).setLearningRate(1e-12).build())
        .run(train, List.of());
    assertThat(firstConvWeights()).containsExactly(before,
        org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path straight) throws Exception {
    List<Example> train = Discs.examples(2, 32, 10);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(straight, spec, tinyConfig().setEpochs(2).build()).run(train, List.of());
    new TrainingRun(dir, spec, tinyConfig().setEpochs(1).build()).run(train, List.of());
    assertThat(dir.resolve("checkpoints/last/" + RunFolder.OPTIMIZER)).isNotEmptyFile();
    assertThat(dir.resolve("checkpoints/best/" + RunFolder.OPTIMIZER))
        .as("best is a model, without Adam's state").doesNotExist();
    List<String> messages = new ArrayList<>();
    new TrainingRun(dir, spec, tinyConfig().setEpochs(2).build())
        .addListener(messagesTo(messages)).run(train, List.of());
    assertThat(messages).noneMatch(m -> m.contains("Adam"));
    assertThat(firstConvWeights()).containsExactly(firstConvWeights(straight));
  }

  @Test
  void aDamagedAdamStateIsToldAndTrainingGoesOnFromTheWeights(@TempDir Path straight)
      throws Exception {
    List<Example> train = Discs.examples(2, 32, 10);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(straight, spec, tinyConfig().setEpochs(2).build()).run(train, List.of());
    new TrainingRun(dir, spec, tinyConfig().setEpochs(1).build()).run(train, List.of());
    Path adam = dir.resolve("checkpoints/last/" + RunFolder.OPTIMIZER);
    byte[] bytes = Files.readAllBytes(adam);
    bytes[bytes.length / 2] ^= 1;
    Files.write(adam, bytes);
    List<String> messages = new ArrayList<>();
    TrainingResult r = new TrainingRun(dir, spec, tinyConfig().setEpochs(2).build())
        .addListener(messagesTo(messages)).run(train, List.of());
    assertThat(r.epochs()).isEqualTo(2);
    assertThat(messages).anyMatch(m -> m.contains(adam.toString())
        && m.contains("CRC-32C") && m.contains("Adam's moments start from zero"));
    assertThat(firstConvWeights()).isNotEqualTo(firstConvWeights(straight));
  }

  private static TrainingListener messagesTo(List<String> messages) {
    return new TrainingListener() {
      @Override
      public void onMessage(String line) {
        messages.add(line);
      }
    };
  }

  @Test
  void theOptimizerScheduleSetsEachRoundsLearningRateAndRestartsAdam(@TempDir Path carried)
      throws IOException {
    float lr = 3e-3f;
    List<float[]> fresh = weightsPerRound(dir, true);
    List<float[]> carry = weightsPerRound(carried, false);
    // round 2's vanishing rate leaves the weights where round 1 left them
    assertThat(fresh.get(2)).containsExactly(fresh.get(1), org.assertj.core.data.Offset.offset(1e-7f));
    // Adam's first step from zero moments moves every weight by the learning rate (m / sqrt v
    // = g / |g|); Adam carried on from 3 earlier steps moves most of them by less.
    double freshShare = shareMovedByExactly(fresh.get(2), fresh.get(3), lr);
    double carriedShare = shareMovedByExactly(carry.get(2), carry.get(3), lr);
    assertThat(freshShare).isGreaterThan(0.95);
    assertThat(carriedShare).isLessThan(freshShare - 0.3);
  }

  /** First-conv weights after each of 4 one-step rounds: 0, 1 plain; 2 rate 1e-9; 3 plain. */
  private static List<float[]> weightsPerRound(Path run, boolean freshLast) throws IOException {
    List<float[]> weights = new ArrayList<>();
    new TrainingRun(run, tinySpec(Task.of("fg", 2)),
        tinyConfig().setRounds(4, 1).setStepsPerEpoch(1).build())
        .optOptimizerSchedule(round -> round == 2 ? new RoundOptimizer(1e-9, false)
            : round == 3 ? new RoundOptimizer(1, freshLast) : RoundOptimizer.SAME)
        .addListener(new TrainingListener() {
          @Override
          public void onEpochEnd(EpochStats s) {
            try {
              weights.add(firstConvWeights(run));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        })
        .run(Discs.examples(2, 32, 11), List.of());
    assertThat(weights).hasSize(4);
    return weights;
  }

  private static double shareMovedByExactly(float[] before, float[] after, float step) {
    int n = 0;
    for (int i = 0; i < before.length; i++) {
      n += Math.abs(Math.abs(after[i] - before[i]) - step) < 0.01 * step ? 1 : 0;
    }
    return (double) n / before.length;
  }

  @Test
  void roundOptimizerRejectsAFactorThatIsNotPositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RoundOptimizer(0, true))
        .hasMessage("learning-rate factor must be > 0: 0.0");
  }

  private float[] firstConvWeights() throws IOException {
    return firstConvWeights(dir);
  }

  private static float[] firstConvWeights(Path dir) throws IOException {
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      RunFolder run = new RunFolder(dir);
      var block = run.readModel().spec().newBlock();
      Parameters.load(block,
          run.checkpoint(RunFolder.LAST).resolve(RunFolder.PARAMETERS), m);
      return block.getParameters().valueAt(0).getArray().toFloatArray();
    }
  }

  @Test
  void memoryStaysFlatOverSteps() throws IOException {
    List<Example> train = Discs.examples(4, 64, 5);
    long[] rss = new long[2];
    TrainConfig config = tinyConfig().setCrop(64).setBatch(4).setEpochs(1).setStepsPerEpoch(30)
        .build();
    new TrainingRun(dir, tinySpec(Task.of("fg", 2)), config)
        .addListener(new TrainingListener() {
          @Override
          public void onStep(long step, float loss) {
            if (step == 10) {
              rss[0] = residentKb();
            } else if (step == 30) {
              rss[1] = residentKb();
            }
          }
        })
        .run(train, List.of());
    // A leaked step (activations of 4 x 64 x 64 crops) costs megabytes; 20 of them far more.
    assertThat(rss[1] - rss[0]).isLessThan(40_000);
  }

  @Test
  void trainsSeveralHeadsWithMissingLabelsAndCallsTheRoundHook() throws IOException {
    List<Example> discs = Discs.examples(4, 40, 6);
    List<Example> train = new ArrayList<>();
    for (int i = 0; i < discs.size(); i++) {
      Example e = discs.get(i);
      // Task 2 (3 classes) exists only on even images; task 1 is missing on image 3.
      LabelImage second = i % 2 == 0 ? e.targets()[0].copy() : null;
      train.add(new Example(e.id(), e.image(), new LabelImage[] {
          i == 3 ? null : e.targets()[0], second}));
    }
    List<Integer> hookRounds = new ArrayList<>();
    List<Float> losses = new ArrayList<>();
    TrainingResult r = new TrainingRun(dir,
        tinySpec(Task.of("fg", 2), new Task("other", 3, 0.5)),
        tinyConfig().setRounds(2, 1).setAugmentation(Augmentation.full()).build())
        .optRoundHook((round, predictor, examples) -> {
          hookRounds.add(round);
          for (Example e : examples) {
            LabelImage relabel = predictor.segment(e.image(), 0);
            e.targets()[0] = relabel;
          }
        })
        .addListener(new TrainingListener() {
          @Override
          public void onStep(long step, float loss) {
            losses.add(loss);
          }
        })
        .run(train, Discs.examples(1, 40, 7));
    assertThat(hookRounds).containsExactly(0);
    assertThat(r.epochs()).isEqualTo(2);
    assertThat(losses).hasSize(6).allMatch(Float::isFinite);
    assertThat(train.get(3).targets()[0]).isNotNull(); // replaced by the hook
  }

  @Test
  void aCustomObjectiveSeesImageLabelsAndRoundsAndItsValueIsTheLoss() throws IOException {
    List<Example> discs = Discs.examples(3, 40, 8);
    List<Example> train = new ArrayList<>();
    for (int i = 0; i < discs.size(); i++) {
      Example e = discs.get(i);
      // Image 2 has no image label: its entry must arrive as NaN.
      float[] labels = i == 2 ? null : new float[] {10f * (i + 1)};
      train.add(new Example(e.id(), e.image(), new LabelImage[] {null}, labels));
    }
    List<Integer> rounds = new ArrayList<>();
    List<Float> expected = new ArrayList<>();
    List<Float> reported = new ArrayList<>();
    new TrainingRun(dir, tinySpec(Task.of("fg", 2)), tinyConfig().setRounds(2, 1).build())
        .optObjective((outputs, batch, round) -> {
          rounds.add(round);
          assertThat(batch.imageLabelCount()).isEqualTo(1);
          float sum = 0;
          for (float v : batch.imageLabels()) {
            assertThat(v).satisfiesAnyOf(x -> assertThat(x).isNaN(),
                x -> assertThat(x).isIn(10f, 20f));
            sum += Float.isNaN(v) ? 0 : v;
          }
          expected.add(sum);
          // Differentiable in the outputs (a tiny multiple), valued at the labels' sum.
          return outputs.head().mean().mul(1e-6f).add(sum);
        })
        .addListener(new TrainingListener() {
          @Override
          public void onStep(long step, float loss) {
            reported.add(loss);
          }
        })
        .run(train, List.of());
    assertThat(rounds).containsExactly(0, 0, 0, 1, 1, 1);
    assertThat(reported).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(reported.get(i)).isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(1e-3f));
    }
  }

  @Test
  void aBudgetUsedUpBeforeTheFirstStepStillTrainsOneStepAndCheckpoints() throws IOException {
    TrainingResult r = new TrainingRun(dir, tinySpec(Task.of("fg", 2)),
        tinyConfig().setEpochs(3).optBudgetMinutes(1e-9).build())
        .run(Discs.examples(2, 40, 9), List.of());
    assertThat(r.steps()).isEqualTo(1);
    assertThat(r.epochs()).isEqualTo(1);
    assertThat(r.stoppedByBudget()).isTrue();
    assertThat(new RunFolder(dir).checkpoint(RunFolder.BEST)).isNotNull();
  }

  @Test
  void theTimingListenerBreaksTheStepLoopIntoComputeAndWaitingForData() throws IOException {
    LoopTiming timing = LoopTiming.toFile();
    new TrainingRun(dir, tinySpec(Task.of("fg", 2)), tinyConfig().setEpochs(2).build())
        .addListener(timing)
        .run(Discs.examples(3, 40, 10), Discs.examples(1, 40, 11));
    RunFolder run = new RunFolder(dir);
    List<String> metrics = Files.readAllLines(run.metricsFile());
    assertThat(metrics.get(0)).isEqualTo("epoch,round,train_loss,val_loss,val_dice,seconds,steps");
    List<String> lines = Files.readAllLines(dir.resolve(LoopTiming.FILE));
    assertThat(lines.get(0)).isEqualTo("epoch,steps,epoch_s,loop_s,step_s,wait_s");
    assertThat(lines).hasSize(3);
    assertThat(timing.rows()).extracting(LoopTiming.EpochTiming::epoch).containsExactly(1, 2);
    for (int i = 1; i < 3; i++) {
      String[] f = lines.get(i).split(",");
      double seconds = Double.parseDouble(metrics.get(i).split(",")[5]);
      double epoch = Double.parseDouble(f[2]), loop = Double.parseDouble(f[3]);
      double step = Double.parseDouble(f[4]), wait = Double.parseDouble(f[5]);
      assertThat(f[1]).isEqualTo("3");
      assertThat(step).isPositive();
      assertThat(wait).isNotNegative();
      // Rounded to milliseconds in the file.
      assertThat(step + wait).isLessThanOrEqualTo(loop + 0.002);
      assertThat(loop).isLessThanOrEqualTo(seconds + 0.001);
      assertThat(loop).isLessThanOrEqualTo(epoch + 0.001);
    }
  }

  @Test
  void withoutTheTimingListenerNoTimingFileUnlessThePropertyAsks(@TempDir Path other)
      throws IOException {
    new TrainingRun(dir, tinySpec(Task.of("fg", 2)), tinyConfig().setEpochs(1).build())
        .run(Discs.examples(2, 40, 10), List.of());
    assertThat(dir.resolve(LoopTiming.FILE)).doesNotExist();
    System.setProperty(LoopTiming.PROPERTY, "true");
    try {
      new TrainingRun(other, tinySpec(Task.of("fg", 2)), tinyConfig().setEpochs(1).build())
          .run(Discs.examples(2, 40, 10), List.of());
    } finally {
      System.clearProperty(LoopTiming.PROPERTY);
    }
    assertThat(Files.readAllLines(other.resolve(LoopTiming.FILE))).hasSize(2);
  }

  @Test
  void aResumeReadsMetricsWrittenWithTheOldTimingColumns() throws IOException {
    List<Example> train = Discs.examples(2, 40, 3);
    ModelSpec spec = tinySpec(Task.of("fg", 2));
    new TrainingRun(dir, spec, tinyConfig().setEpochs(2).build()).run(train, List.of());
    Path csv = new RunFolder(dir).metricsFile();
    List<String> current = Files.readAllLines(csv);
    // As runs before the timing listener wrote it: three timing columns after steps.
    List<String> old = new ArrayList<>();
    old.add(current.get(0) + ",loop_s,step_s,wait_s");
    for (String row : current.subList(1, current.size())) {
      old.add(row + ",1.000,0.900,0.100");
    }
    Files.write(csv, old);
    new TrainingRun(dir, spec, tinyConfig().setEpochs(3).build()).run(train, List.of());
    List<String> resumed = Files.readAllLines(csv);
    assertThat(resumed).hasSize(4);
    assertThat(resumed.get(0)).isEqualTo(MetricsLog.HEADER);
    assertThat(resumed.subList(1, 3)).isEqualTo(current.subList(1, 3));
    assertThat(resumed.get(3)).startsWith("3,0,").matches("([^,]*,){6}[^,]*");
  }

  @Test
  void thePapersMultiTaskNetworkTrainsAndReopensForPrediction() throws IOException {
    List<Example> train = new ArrayList<>();
    for (Example e : Discs.examples(3, 40, 12)) {
      LabelImage mask = e.targets()[0];
      train.add(new Example(e.id(), e.image(), new LabelImage[] {mask, mask, null}));
    }
    ModelSpec spec = ModelSpec.builder().setChannels(1).optWidth(4).optDepth(3)
        .addTask(Task.of("segmentation", 2)).addTask(Task.of("detection", 2))
        .addTask(Task.of("separation", 2)).optNetwork(ModelSpec.MULTITASK_DECODER).build();
    TrainingResult r = new TrainingRun(dir, spec, tinyConfig().setEpochs(1).build())
        .run(train, List.of());
    assertThat(r.steps()).isEqualTo(3);
    try (Predictor p = Predictor.open(dir, RunFolder.LAST)) {
      assertThat(p.spec().network()).isEqualTo(ModelSpec.MULTITASK_DECODER);
      float[][][] probs = p.probabilities(train.get(0).image(), 0, 1, 2);
      assertThat(probs).hasNumberOfRows(3);
      assertThat(probs[2][1]).hasSize(40 * 40);
    }
  }

  @Test
  void colourImagesTrainAGreyModelAndBudgetStopsEarly() throws IOException {
    List<Example> train = new ArrayList<>();
    for (Example e : Discs.examples(2, 32, 8)) {
      FloatImage grey = e.image();
      FloatImage rgb = new FloatImage(32, 32, 3);
      for (int c = 0; c < 3; c++) {
        System.arraycopy(grey.data(), 0, rgb.data(), c * 32 * 32, 32 * 32);
      }
      train.add(new Example(e.id(), rgb, e.targets()));
    }
    TrainingResult r = new TrainingRun(dir, tinySpec(Task.of("fg", 2)),
        tinyConfig().setEpochs(50).setStepsPerEpoch(1000).optBudgetMinutes(0.05).build())
        .run(train, List.of());
    assertThat(r.stoppedByBudget()).isTrue();
    assertThat(r.epochs()).isEqualTo(1);
  }

  @Test
  void theSameSeedGivesTheSameLosses(@TempDir Path other) throws IOException {
    assertThat(stepLosses(other)).containsExactlyElementsOf(stepLosses(dir));
  }

  private static List<Float> stepLosses(Path runDir) throws IOException {
    List<Float> losses = new ArrayList<>();
    new TrainingRun(runDir, tinySpec(Task.of("fg", 2)),
        tinyConfig().setEpochs(1).setStepsPerEpoch(4).optWorkers(2)
            .setAugmentation(Augmentation.full()).build())
        .addListener(new TrainingListener() {
          @Override
          public void onStep(long step, float loss) {
            losses.add(loss);
          }
        })
        .run(Discs.examples(3, 40, 9), List.of());
    return losses;
  }

  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS");
  }
}
