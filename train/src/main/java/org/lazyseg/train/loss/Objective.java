package org.lazyseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.lazyseg.train.data.Batch;

/**
 * What one training step minimises, given the network's outputs (one array per head,
 * (N, K_t, S, S) logits) and the batch they came from. Methods whose labels are not
 * pixel-wise classes (object sizes, image tags) bring their own; the default is the
 * masked multi-task cross-entropy.
 *
 * <p>Arrays made here belong to the step's manager ({@code outputs.head().getManager()})
 * and are freed when the step ends. The returned scalar must depend differentiably on the
 * outputs; anything computed on the CPU from their values is a constant for autograd.
 */
@FunctionalInterface
public interface Objective {

  /**
   * @param round the current round (0 for methods without rounds), for objectives that
   *     change between rounds
   */
  NDArray loss(NDList outputs, Batch batch, int round);

  /** Any DJL loss on the batch's pixel targets, one (N, S, S) integer label per head. */
  static Objective pixelTargets(Loss loss) {
    return (outputs, batch, round) -> {
      NDManager step = outputs.head().getManager();
      int n = batch.size(), s = batch.crop();
      NDList labels = new NDList(batch.targets().length);
      for (int[] target : batch.targets()) {
        labels.add(step.create(target, new Shape(n, s, s)));
      }
      return loss.evaluate(labels, outputs);
    };
  }
}
