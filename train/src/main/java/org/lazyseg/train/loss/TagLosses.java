package org.lazyseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.lazyseg.core.image.LabelImage;

/**
 * The two losses of training from image tags (SPEC section 5): binary cross-entropy of pooled
 * class scores against the tags, and soft Dice of a map against (voted) pixel masks. Inputs
 * are differentiable arrays of one training step; labels come as plain arrays and become
 * constants in the step's manager.
 */
public final class TagLosses {
  /** Pooled scores are clipped to [CLIP, 1 - CLIP] before the logarithm. */
  static final float CLIP = 1e-6f;

  private TagLosses() {}

  /**
   * Mean over the labelled (image, class) pairs of
   * {@code -(y log p + (1 - y) log(1 - p))}.
   *
   * @param pooled (N, K) scores in [0, 1]
   * @param labels (N, L) row-major, L >= K, 1 = present, 0 = absent, NaN = no tag; column k
   *     is class k + 1
   * @return a scalar; 0 (still attached to {@code pooled}) when nothing is labelled
   */
  public static NDArray binaryCrossEntropy(NDArray pooled, float[] labels) {
    int n = (int) pooled.getShape().get(0), k = (int) pooled.getShape().get(1);
    int perImage = labels.length / n;
    float[] y = new float[n * k], mask = new float[n * k];
    int count = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        float v = labels[i * perImage + c];
        if (!Float.isNaN(v)) {
          y[i * k + c] = v;
          mask[i * k + c] = 1;
          count++;
        }
      }
    }
    if (count == 0) {
      return pooled.sum().mul(0);
    }
    NDManager m = pooled.getManager();
    NDArray target = m.create(y, new Shape(n, k));
    NDArray p = pooled.clip(CLIP, 1 - CLIP);
    NDArray logLikelihood = target.mul(p.log())
        .add(target.neg().add(1).mul(p.neg().add(1).log()));
    return logLikelihood.mul(m.create(mask, new Shape(n, k))).sum().neg().div(count);
  }

  /**
   * Soft Dice loss over the whole batch, {@code 1 - (2 sum p y + 1) / (sum p + sum y + 1)},
   * counting only pixels whose target is not {@link LabelImage#IGNORE}. A batch sum rather
   * than a per-image mean, so images with an empty target (negatives) still penalise what
   * their map lights up.
   *
   * @param foreground (N, 1, S, S) probabilities
   * @param target (N, S, S) row-major, 1 = object, 0 = background, IGNORE = unlabelled
   * @return a scalar, or null when no pixel is labelled
   */
  public static NDArray softDice(NDArray foreground, int[] target) {
    float[] y = new float[target.length], valid = new float[target.length];
    boolean any = false;
    for (int i = 0; i < target.length; i++) {
      if (target[i] != LabelImage.IGNORE) {
        valid[i] = 1;
        y[i] = target[i] > 0 ? 1 : 0;
        any = true;
      }
    }
    if (!any) {
      return null;
    }
    NDManager m = foreground.getManager();
    Shape shape = foreground.getShape();
    NDArray p = foreground.mul(m.create(valid, shape));
    NDArray truth = m.create(y, shape);
    NDArray overlap = p.mul(truth).sum().mul(2).add(1);
    return overlap.div(p.sum().add(truth.sum()).add(1)).neg().add(1);
  }
}
