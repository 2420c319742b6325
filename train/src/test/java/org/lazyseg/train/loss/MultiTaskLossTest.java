package org.lazyseg.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.lazyseg.train.Task;
import org.junit.jupiter.api.Test;

class MultiTaskLossTest {
  private static final float LN2 = (float) Math.log(2);

  /** Three pixels: logits (0,0) target 1; (0, ln 3) target 0; anything, IGNORE. */
  private static NDList pixels(NDManager m) {
    NDArray logits = m.create(new float[] {0, 0, 5, 0, (float) Math.log(3), -5},
        new Shape(1, 2, 1, 3));
    NDArray target = m.create(new int[] {1, 0, -1}, new Shape(1, 1, 3));
    return new NDList(logits, target);
  }

  @Test
  void maskedCrossEntropyKnownAnswer() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList p = pixels(m);
      MultiTaskLoss loss = new MultiTaskLoss(List.of(new Task("a", 2, 0.5)));
      float value = loss.evaluate(new NDList(p.get(1)), new NDList(p.get(0))).getFloat();
      // 0.5 x mean(ln 2, ln 4) over the two labelled pixels
      assertThat(value).isCloseTo(0.5f * 1.5f * LN2, within(1e-5f));
    }
  }

  @Test
  void foregroundPixelsWeighTheirWeightInTheMean() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList p = pixels(m);
      MultiTaskLoss loss = new MultiTaskLoss(List.of(new Task("a", 2, 0.5, 3.0)));
      float value = loss.evaluate(new NDList(p.get(1)), new NDList(p.get(0))).getFloat();
      // 0.5 x (3 ln 2 + 1 ln 4) / (3 + 1); the IGNORE pixel still counts for nothing
      assertThat(value).isCloseTo(0.5f * 1.25f * LN2, within(1e-5f));
    }
  }

  @Test
  void allIgnoreTaskContributesZeroAndNoNaN() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList p = pixels(m);
      NDArray ignoreAll = m.full(new Shape(1, 1, 3), -1);
      NDArray logits3 = m.randomNormal(new Shape(1, 3, 1, 3));
      MultiTaskLoss loss = new MultiTaskLoss(List.of(Task.of("a", 2), new Task("b", 3, 2.0)));
      float value = loss.evaluate(new NDList(p.get(1), ignoreAll), new NDList(p.get(0), logits3))
          .getFloat();
      assertThat(value).isCloseTo(1.5f * LN2, within(1e-5f));
      MultiTaskLoss onlyB = new MultiTaskLoss(List.of(Task.of("b", 3)));
      float zero = onlyB.evaluate(new NDList(ignoreAll), new NDList(logits3)).getFloat();
      assertThat(zero).isEqualTo(0f);
    }
  }

  @Test
  void intermediatesDoNotLeakIntoTheCallersManager() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList p = pixels(m);
      MultiTaskLoss loss = new MultiTaskLoss(List.of(Task.of("a", 2)));
      int before = m.getManagedArrays().size();
      loss.evaluate(new NDList(p.get(1)), new NDList(p.get(0)));
      assertThat(m.getManagedArrays().size()).isEqualTo(before + 1); // just the result
    }
  }
}
