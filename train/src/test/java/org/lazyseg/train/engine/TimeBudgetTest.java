package org.lazyseg.train.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.testing.Discs;

/** The budget of a whole command, and how a run with one plans its epochs. */
class TimeBudgetTest {
  @TempDir Path dir;

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBudgetIsAPointInTimeOnItsClock() {
    AtomicLong clock = new AtomicLong(100 * SECOND);
    TimeBudget b = TimeBudget.of(1, 90 * SECOND, clock::get);   // started 10 s ago
    assertThat(b.limited()).isTrue();
    assertThat(b.totalNanos()).isEqualTo(60 * SECOND);
    assertThat(b.remainingNanos()).isEqualTo(50 * SECOND);
    // The first of two phases gets its share of what is left now; the second the rest.
    TimeBudget first = b.share(0.4);
    assertThat(first.remainingNanos()).isEqualTo(20 * SECOND);
    clock.addAndGet(30 * SECOND);
    assertThat(first.remainingNanos()).isEqualTo(-10 * SECOND);
    assertThat(b.remainingNanos()).isEqualTo(20 * SECOND);
    assertThat(b.minus(5 * SECOND).remainingNanos()).isEqualTo(15 * SECOND);

    assertThat(TimeBudget.of(0, 0).limited()).isFalse();
    assertThat(TimeBudget.NONE.share(0.5).limited()).isFalse();
    assertThat(TimeBudget.NONE.remainingNanos()).isEqualTo(Long.MAX_VALUE);
    // The JVM started before this test.
    assertThat(TimeBudget.processStartNanos()).isLessThanOrEqualTo(System.nanoTime());
  }

  @Test
  void epochsShareTheTimeLeftAfterWhatMustFollowThem() {
    // 100 s left, 10 epochs, 1 s a step, 2 s per epoch besides, 30 s of round hooks:
    // (100 - 20 - 30) / 10 = 5 steps each.
    assertThat(EpochPlan.steps(100 * SECOND, 10, 0, SECOND, 2 * SECOND, 30 * SECOND, 100))
        .isEqualTo(5);
    // Plenty of time: the configured steps, never more.
    assertThat(EpochPlan.steps(10_000 * SECOND, 10, 0, SECOND, 0, 0, 100)).isEqualTo(100);
    // A few steps into the epoch: those count towards its share.
    assertThat(EpochPlan.steps(47 * SECOND, 5, 3, SECOND, 0, 0, 100)).isEqualTo(10);
    // No time at all: still one step an epoch (every round runs), and never fewer than the
    // epoch has done.
    assertThat(EpochPlan.steps(-5 * SECOND, 4, 0, SECOND, SECOND, 0, 100)).isEqualTo(1);
    assertThat(EpochPlan.steps(0, 4, 7, SECOND, 0, 0, 100)).isEqualTo(7);

    EpochPlan plan = new EpochPlan(1, 10, 2, 27, 100, 0.48, 0.5, 180, 9, 39, 390);
    assertThat(plan.shortened()).isTrue();
    assertThat(plan.describe()).startsWith("plan: 10 rounds x 2 epochs x 27 steps (of 100)")
        .contains("9 round ends").contains("39 s kept for after training");
  }

  /**
   * Far more steps than the time allows: every round still runs, each with the steps that
   * fit, the round hooks are called between them, and the plan says so. (Asserts the rounds
   * and the plan, not the wall time.)
   */
  @Test
  void aRunWithABudgetRunsEveryRoundWithFewerSteps() throws IOException {
    ModelSpec spec = ModelSpec.builder().setChannels(1).optWidth(4).optDepth(3)
        .addTask(Task.of("fg", 2)).build();
    TrainConfig config = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(3e-3)
        .setRounds(3, 2).setStepsPerEpoch(1_000_000).optThreads(1).optSeed(7).build();
    List<Integer> hooks = new ArrayList<>();
    List<EpochPlan> plans = new ArrayList<>();
    List<Integer> stepsPerEpoch = new ArrayList<>();
    TrainingResult r = new TrainingRun(dir, spec, config)
        .optRoundHook(new RoundHook() {
          @Override
          public void afterRound(int round, org.lazyseg.train.predict.Predictor p,
              List<org.lazyseg.train.data.Example> train) {
            hooks.add(round);
          }

          @Override
          public long estimateNanos(int round, org.lazyseg.train.predict.Predictor p,
              List<org.lazyseg.train.data.Example> train) {
            return SECOND / 2;
          }
        })
        .optBudget(TimeBudget.of(8.0 / 60, System.nanoTime()), SECOND)
        .addListener(new TrainingListener() {
          @Override
          public void onPlan(EpochPlan plan) {
            plans.add(plan);
          }

          @Override
          public void onEpochEnd(EpochStats s) {
            stepsPerEpoch.add(s.steps());
          }
        })
        .run(Discs.examples(4, 40, 9), List.of());
    assertThat(r.epochs()).as("every epoch of every round").isEqualTo(6);
    assertThat(hooks).containsExactly(0, 1);
    assertThat(r.stoppedByBudget()).isTrue();
    assertThat(stepsPerEpoch).allSatisfy(n -> assertThat(n).isBetween(1, 999_999));
    assertThat(plans).isNotEmpty();
    EpochPlan first = plans.get(0);
    assertThat(first.epoch()).isEqualTo(1);
    assertThat(first.rounds()).isEqualTo(3);
    assertThat(first.hooksLeft()).isEqualTo(2);
    assertThat(first.hookSeconds()).as("the hooks' estimate is kept free").isEqualTo(1.0);
    assertThat(first.reserveSeconds()).isEqualTo(1.0);
    assertThat(first.shortened()).isTrue();
  }

  /**
   * Validation too long for a short budget: the first plan counts it already (measured on one
   * image), and only as many evenly spaced images as fit a quarter of the time per epoch are
   * validated, with a line saying so. Without a budget every image validates.
   */
  @Test
  void aShortBudgetValidatesTheImagesThatFitAndPlansForThem() throws IOException {
    ModelSpec spec = ModelSpec.builder().setChannels(1).optWidth(4).optDepth(3)
        .addTask(Task.of("fg", 2)).build();
    TrainConfig config = TrainConfig.builder().setCrop(32).setBatch(2).setEpochs(2)
        .setStepsPerEpoch(1_000_000).optThreads(1).optSeed(7).build();
    List<String> messages = new ArrayList<>();
    List<EpochPlan> plans = new ArrayList<>();
    List<org.lazyseg.train.data.Example> validation = Discs.examples(60, 512, 11);
    long t0 = System.nanoTime();
    new TrainingRun(dir, spec, config)
        .optBudget(TimeBudget.of(6.0 / 60, System.nanoTime()), 0)
        .addListener(new TrainingListener() {
          @Override
          public void onMessage(String message) {
            messages.add(message);
          }

          @Override
          public void onPlan(EpochPlan plan) {
            plans.add(plan);
          }
        })
        .run(Discs.examples(4, 40, 9), validation);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(messages).anySatisfy(m -> assertThat(m)
        .matches("time budget: validating \\d+ of 60 images each epoch \\(all of them would"
            + " take about \\d+ s an epoch, more than 25% of the time per epoch left\\)"));
    assertThat(plans).isNotEmpty();
    assertThat(plans.get(0).epochSeconds()).as("validation counted from the first plan")
        .isGreaterThan(0);
    assertThat(seconds).as("the run keeps its 6 s budget (slack for the JVM's first steps)")
        .isLessThan(6 * 1.5);
  }
}
