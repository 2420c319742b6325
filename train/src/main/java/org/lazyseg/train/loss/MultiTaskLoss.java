package org.lazyseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;

/**
 * {@code L = sum over tasks t of alpha_t * CE_t}, where CE_t is the softmax cross-entropy
 * averaged over the pixels of the batch whose target is not {@link LabelImage#IGNORE}
 * (a weighted mean where the task gives its classes 1.. a {@link Task#foregroundWeight}).
 * An image lacking a task's label has all its pixels IGNORE, so it drops out of that term;
 * a term with no labelled pixel at all is 0 (not NaN).
 *
 * <p>Labels: one integer array (N, H, W) per task; predictions: one logits array
 * (N, K_t, H, W) per task, in the same order.
 */
public final class MultiTaskLoss extends Loss {
  private final float[] alphas;
  private final int[] classes;
  private final float[] foregroundWeights;

  public MultiTaskLoss(List<Task> tasks) {
    super("MultiTaskLoss");
    alphas = new float[tasks.size()];
    classes = new int[tasks.size()];
    foregroundWeights = new float[tasks.size()];
    for (int t = 0; t < tasks.size(); t++) {
      alphas[t] = (float) tasks.get(t).alpha();
      classes[t] = tasks.get(t).classes();
      foregroundWeights[t] = tasks.get(t).foregroundWeight().floatValue();
    }
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    if (labels.size() != alphas.length || predictions.size() != alphas.length) {
      throw new IllegalArgumentException("expected " + alphas.length + " tasks, got "
          + labels.size() + " labels and " + predictions.size() + " predictions");
    }
    // Intermediates die with this scope; only the scalar result goes back to the caller.
    try (NDManager scope = NDManager.subManagerOf(predictions.get(0))) {
      scope.tempAttachAll(labels, predictions);
      NDArray total = null;
      for (int t = 0; t < alphas.length; t++) {
        NDArray term = maskedCrossEntropy(predictions.get(t), labels.get(t), classes[t],
            foregroundWeights[t]).mul(alphas[t]);
        total = total == null ? term : total.add(term);
      }
      return scope.ret(total);
    }
  }

  /** Mean over labelled pixels of -log softmax(logits)[target]; 0 when none is labelled. */
  static NDArray maskedCrossEntropy(NDArray logits, NDArray target, int classes) {
    return maskedCrossEntropy(logits, target, classes, 1f);
  }

  /** As above, a pixel of class 1.. weighing {@code foregroundWeight} in the mean. */
  static NDArray maskedCrossEntropy(NDArray logits, NDArray target, int classes,
      float foregroundWeight) {
    NDArray logp = logits.logSoftmax(1).transpose(0, 2, 3, 1);           // (N, H, W, K)
    NDArray labelled = target.gte(0).toType(DataType.FLOAT32, false);  // (N, H, W)
    if (foregroundWeight != 1f) {
      labelled = labelled.add(target.gt(0).toType(DataType.FLOAT32, false)
          .mul(foregroundWeight - 1f));
    }
    NDArray oneHot = target.maximum(0).toType(DataType.INT64, false).oneHot(classes);
    NDArray picked = logp.mul(oneHot).sum(new int[] {3});
    return picked.mul(labelled).sum().neg().div(labelled.sum().maximum(1f));
  }
}
