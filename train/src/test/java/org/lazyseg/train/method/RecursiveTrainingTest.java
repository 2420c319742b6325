package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.testing.DiscDatasets;

/** A tiny end-to-end training of the recursive method on synthetic discs. */
class RecursiveTrainingTest {
  @TempDir Path dir;

  private static int area(LabelImage l) {
    int n = 0;
    for (int v : l.data()) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void approximationsOfSyntheticDiscsGetBetterRoundByRound() throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 12, 64, 5);
    Path run = dir.resolve("run");
    TrainingJob job = new TrainingJob(Dataset.open(data), Methods.create("recursive",
        Map.of("rounds", "3", "steps-per-round", "25", "lambda", "0.5", "overlays", "0")),
        new TrainingData.Selection("train", 0.25, 0, 0), TrainConfig.builder().setCrop(48).setBatch(4).setLearningRate(1e-2)
            .setStepsPerEpoch(10).optThreads(1).optSeed(3).build()).optWidth(8).optDepth(3);
    job.run(run, job.load(ProgressCallback.NONE));
    List<Rounds.Row> rows = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Rounds.RoundDice d = RunFolder.read(Rounds.roundDir(run, r).resolve(Rounds.DICE_FILE),
          Rounds.RoundDice.class);
      rows.add(new Rounds.Row(d.round(), d.meanDice(), d.images()));
    }
    double first = rows.get(0).meanDice(), last = rows.get(2).meanDice();
    assertThat(rows.get(1).meanDice()).as("Dice per round: %s", rows).isGreaterThan(first);
    assertThat(last).as("Dice per round: %s", rows).isGreaterThan(first + 0.1);

    // After training the seed threshold is settled on the weak images and recorded.
    Map<String, String> base = Methods.ofRun(run).options();
    assertThat(SeedThreshold.CANDIDATES)
        .contains(Double.parseDouble(base.get("seed-threshold")));
    Map<?, ?> choice = RunFolder.read(run.resolve(RecursiveApproximation.SEED_THRESHOLD_FILE),
        Map.class);
    assertThat(((Number) ((Map<?, ?>) choice.get("chosen")).get("threshold")).doubleValue())
        .isEqualTo(Double.parseDouble(base.get("seed-threshold")));
    assertThat((List<?>) choice.get("candidates"))
        .hasSize(SeedThreshold.CANDIDATES.size() * SeedThreshold.MIN_SEED_SHARES.size());
    assertThat(((Number) choice.get("images")).intValue()).isEqualTo(9);   // 12 - 3 strong

    // The final prediction grows further with lambda-pred than with the training lambda.
    Map<String, String> small = new HashMap<>(base);
    small.put("lambda-pred", base.get("lambda"));
    Method asTrained = Methods.create("recursive", small);
    Method larger = Methods.create("recursive", base);
    long areaSmall = 0, areaLarge = 0;
    try (Predictor p = Predictor.open(run, RunFolder.LAST)) {
      for (var s : Dataset.open(data).samples()) {
        var image = s.loadImage();
        areaSmall += area(asTrained.segment(p, image).classes());
        areaLarge += area(larger.segment(p, image).classes());
      }
    }
    assertThat(areaLarge).isGreaterThan(areaSmall);
  }

  @Test
  void withFarBackgroundLabelsNeverGrowWhereThePartialMaskImpliesBackground()
      throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 8, 64, 7);
    Path run = dir.resolve("run");
    // reach 0.5 core radii + 5 px: tight, so an unclipped label would cross it
    TrainingJob job = new TrainingJob(Dataset.open(data), Methods.create("recursive",
        Map.of("rounds", "3", "steps-per-round", "20", "lambda", "2", "overlays", "0",
            "far-background", "0.5")),
        new TrainingData.Selection("train", 0.25, 0, 0), TrainConfig.builder().setCrop(48)
            .setBatch(4).setLearningRate(1e-2).setStepsPerEpoch(10).optThreads(1).optSeed(3)
            .build()).optWidth(8).optDepth(3);
    job.run(run, job.load(ProgressCallback.NONE));
    int checked = 0;
    for (org.lazyseg.core.data.Sample s : Dataset.open(data).samples()) {
      Path label = Rounds.roundDir(run, 2).resolve(s.id() + ".png");
      if (!java.nio.file.Files.exists(label)) {
        continue;   // a strong image
      }
      LabelImage partial = s.loadPartial();
      LabelImage known = org.lazyseg.core.weak.FarBackground.target(
          LazyMultiTask.cores(partial, 1), Method.asClasses(partial, 1), 0.5,
          org.lazyseg.core.weak.FarBackground.MARGIN);
      int[] l = org.lazyseg.core.image.ImageFiles.readLabels(label).data();
      for (int i = 0; i < l.length; i++) {
        if (known.data()[i] == 0) {
          assertThat(l[i]).as("%s pixel %d", s.id(), i).isZero();
        }
        if (partial.data()[i] > 0) {
          assertThat(l[i]).as("%s keeps its partial mask", s.id()).isPositive();
        }
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  /**
   * With far more steps than a short budget allows, the recursive method still runs all its
   * rounds (the labels grow between them), the plan is recorded in RUN/plan.json, and the seed
   * search gets its share; a search with no time left falls back and says so. (Asserts the
   * rounds and the plan, not the wall time.)
   */
  @Test
  void aShortBudgetStillRunsEveryRoundAndRecordsThePlan() throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 8, 64, 5);
    Path run = dir.resolve("run");
    TrainingJob job = new TrainingJob(Dataset.open(data), Methods.create("recursive",
        Map.of("rounds", "3", "lambda", "0.5", "overlays", "0")),
        new TrainingData.Selection("train", 0.25, 0, 0), TrainConfig.builder().setCrop(48)
            .setBatch(4).setLearningRate(1e-2).setEpochs(3).setStepsPerEpoch(1_000_000)
            .optThreads(1).optSeed(3).build()).optWidth(8).optDepth(3)
        .optBudget(org.lazyseg.train.engine.TimeBudget.of(10.0 / 60, System.nanoTime()));
    List<String> messages = new ArrayList<>();
    job.addListener(new org.lazyseg.train.engine.TrainingListener() {
      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    });
    TrainingData td = job.load(ProgressCallback.NONE);
    var result = job.run(run, td);

    assertThat(result.epochs()).as("every round").isEqualTo(3);
    for (int r = 0; r < 3; r++) {
      assertThat(Rounds.roundDir(run, r).resolve(Rounds.DICE_FILE)).exists();
    }
    TrainingJob.Plan plan = RunFolder.read(run.resolve(TrainingJob.PLAN_FILE),
        TrainingJob.Plan.class);
    assertThat(plan.rounds()).isEqualTo(3);
    assertThat(plan.roundsCompleted()).isEqualTo(3);
    assertThat(plan.stoppedByBudget()).isTrue();
    assertThat(plan.budgetSeconds()).isEqualTo(10.0);
    assertThat(plan.reserveSeconds()).as("the seed search's share")
        .isCloseTo(0.1 * plan.leftSeconds(), org.assertj.core.data.Offset.offset(0.01));
    assertThat(plan.firstPlan().stepsPerEpoch()).isBetween(1, 999_999);
    assertThat(plan.firstPlan().hooksLeft()).isEqualTo(2);
    assertThat(plan.firstPlan().hookSeconds()).as("a re-labelling, timed on one image")
        .isPositive();
    assertThat(plan.steps()).isEqualTo(result.steps()).isLessThan(3_000_000);
    assertThat(messages).anyMatch(m -> m.startsWith("time budget: "))
        .anyMatch(m -> m.startsWith("plan: 3 rounds x 1 epoch x "));
    Map<?, ?> search = RunFolder.read(run.resolve(RecursiveApproximation.SEED_THRESHOLD_FILE),
        Map.class);
    assertThat(((Number) search.get("imagesWanted")).intValue()).isEqualTo(6);

    // No time left for the seed search: none, the read-out keeps its unsettled seeds.
    List<String> notes = new ArrayList<>();
    Method after = job.method().afterTraining(run, td,
        org.lazyseg.train.engine.TimeBudget.of(1e-9, System.nanoTime() - 1_000_000_000L),
        notes::add);
    assertThat(after.options().get("seed-threshold")).isEqualTo("auto");
    assertThat(notes).singleElement().asString().startsWith("seed search skipped");
    search = RunFolder.read(run.resolve(RecursiveApproximation.SEED_THRESHOLD_FILE), Map.class);
    assertThat(((Number) search.get("images")).intValue()).isZero();
  }
}
