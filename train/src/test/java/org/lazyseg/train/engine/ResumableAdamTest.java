package org.lazyseg.train.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumableAdamTest {
  private static final Tracker RATE = Tracker.fixed(0.01f);
  @TempDir Path dir;

  private static Block net(int hidden) {
    return new SequentialBlock().add(Linear.builder().setUnits(hidden).build())
        .add(ai.djl.nn.Activation::relu).add(Linear.builder().setUnits(2).build());
  }

  /** A model seeded alike, trained with {@code optimizer} for {@code steps} steps. */
  private static float[] train(Function<Tracker, Optimizer> optimizer, int steps, Path saveTo)
      throws IOException {
    Engine.getInstance().setRandomSeed(3);
    try (Model model = Model.newInstance("t")) {
      model.setBlock(net(8));
      Optimizer o = optimizer.apply(RATE);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(o))) {
        t.initialize(new Shape(4, 5));
        steps(model, t, 0, steps);
        if (saveTo != null) {
          ((ResumableAdam) o).save(model.getBlock(), saveTo);
        }
        return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
      }
    }
  }

  private static float[] batch(int seed, int n) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void stepsAreDjlAdamsBitForBit() throws IOException {
    float[] djl = train(r -> Optimizer.adam().optLearningRateTracker(r).build(), 6, null);
    float[] ours = train(ResumableAdam::new, 6, null);
    assertThat(ours).containsExactly(djl);
  }

  @Test
  void aRestoredStateContinuesAsIfNeverStopped() throws IOException {
    float[] straight = train(ResumableAdam::new, 6, null);
    Path state = dir.resolve("adam");
    train(ResumableAdam::new, 3, state);
    // Steps 4-6 from the 3-step weights: a fresh Adam moves them elsewhere, the restored one
    // exactly where the uninterrupted run did. The weights come along through the block.
    float[] resumed = trainFrom(state, true);
    float[] afresh = trainFrom(state, false);
    assertThat(resumed).containsExactly(straight);
    assertThat(afresh).isNotEqualTo(straight);
  }

  /** Trains 3 steps, then 3 more with a new optimizer that is restored or fresh. */
  private static float[] trainFrom(Path state, boolean restore) throws IOException {
    Engine.getInstance().setRandomSeed(3);
    try (Model model = Model.newInstance("t")) {
      model.setBlock(net(8));
      ResumableAdam first = new ResumableAdam(RATE);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(first))) {
        t.initialize(new Shape(4, 5));
        steps(model, t, 0, 3);
      }
      ResumableAdam second = new ResumableAdam(RATE);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(second))) {
        t.initialize(new Shape(4, 5));
        if (restore) {
          second.restore(model.getBlock(), state);
          assertThat(second.updates()).isEqualTo(3);
        }
        steps(model, t, 3, 6);
      }
      return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
    }
  }

  /** Steps from..to-1, each on a batch seeded by its index, whatever the optimizer. */
  private static void steps(Model model, Trainer t, int from, int to) {
    for (int s = from; s < to; s++) {
      try (NDManager step = model.getNDManager().newSubManager()) {
        NDArray x = step.create(batch(s, 20), new Shape(4, 5));
        NDArray y = step.create(batch(s + 1000, 8), new Shape(4, 2));
        try (GradientCollector g = t.newGradientCollector()) {
          g.backward(t.getLoss().evaluate(new NDList(y), t.forward(new NDList(x))));
        }
        t.step();
      }
    }
  }

  @Test
  void theStateOfAnotherNetworkIsRefusedNamingTheFile() throws IOException {
    Path state = dir.resolve("adam");
    train(ResumableAdam::new, 2, state);
    Engine.getInstance().setRandomSeed(3);
    try (Model model = Model.newInstance("t")) {
      model.setBlock(net(6));   // another hidden width
      ResumableAdam adam = new ResumableAdam(RATE);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(adam))) {
        t.initialize(new Shape(4, 5));
        assertThatThrownBy(() -> adam.restore(model.getBlock(), state))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(state.toString()).hasMessageContaining("another network");
        assertThat(adam.updates()).isZero();
      }
    }
  }
}
