package org.lazyseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.lazyseg.core.image.LabelImage;

/**
 * The two losses of training from image tags (docs/methods.md, Image tags): binary cross-entropy of
 * pooled class scores against the tags, and soft Dice of a map against (voted) pixel masks. Inputs
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
   * Soft Dice loss of the two classes, background and foreground, each
   * {@code 1 - (2 sum p y + 1) / (sum p + sum y + 1)} over one image's pixels whose target is
   * not {@link LabelImage#IGNORE} (for background p and y are 1 - p and 1 - y), the two
   * averaged, then averaged over the images that have labelled pixels.
   *
   * <p>Why both classes [R]: the paper cites generalised Dice (Sudre et al. 2017), which sums
   * over the classes. Foreground Dice alone saturates on a negative image (its loss
   * {@code sum p / (sum p + 1)} stops pushing once a few pixels are lit) and pushes missed
   * object pixels up harder than it pushes false ones down, so refinement rounds grew the
   * masks until the maps lit whole images (DSB2018 patches; accuracy fell with them). The
   * background term penalises every lit pixel of a negative and every false positive in
   * proportion. Equal class weights rather than generalised Dice's 1 / volume^2, which
   * would make an absent class infinitely heavy.
   *
   * @param foreground (N, 1, S, S) probabilities
   * @param target (N, S, S) row-major, 1 = object, 0 = background, IGNORE = unlabelled
   * @return a scalar, or null when no pixel is labelled
   */
  public static NDArray softDice(NDArray foreground, int[] target) {
    int n = (int) foreground.getShape().get(0);
    int perImage = target.length / n;
    float[] y = new float[target.length], valid = new float[target.length];
    float[] labelled = new float[n];
    int images = 0;
    for (int i = 0; i < target.length; i++) {
      if (target[i] != LabelImage.IGNORE) {
        valid[i] = 1;
        y[i] = target[i] > 0 ? 1 : 0;
        if (labelled[i / perImage] == 0) {
          labelled[i / perImage] = 1;
          images++;
        }
      }
    }
    if (images == 0) {
      return null;
    }
    NDManager m = foreground.getManager();
    Shape shape = foreground.getShape();
    NDArray mask = m.create(valid, shape);
    NDArray truth = m.create(y, shape);
    NDArray fg = dicePerImage(foreground.mul(mask), truth);
    NDArray bg = dicePerImage(foreground.neg().add(1).mul(mask), mask.sub(truth));
    NDArray loss = fg.add(bg).div(2).neg().add(1);                                 // (N)
    return loss.mul(m.create(labelled, new Shape(n))).sum().div(images);
  }

  /** (2 sum p y + 1) / (sum p + sum y + 1) per image of (N, 1, S, S) arrays. */
  private static NDArray dicePerImage(NDArray p, NDArray y) {
    int[] pixels = {1, 2, 3};
    return p.mul(y).sum(pixels).mul(2).add(1).div(p.sum(pixels).add(y.sum(pixels)).add(1));
  }
}
