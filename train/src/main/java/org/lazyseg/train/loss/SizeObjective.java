package org.lazyseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.core.weak.SizeGradient;
import org.lazyseg.train.data.Batch;

/**
 * The step loss of learning from object sizes (paper 002; docs/methods.md, Object sizes) on one
 * binary head (head 0, two classes: p = softmax class 1 = sigmoid of the logit difference).
 *
 * <p>Each example of a batch is one of two kinds, told apart by its image label (the size):
 * <ul>
 *   <li><b>strong</b> (no size, NaN): pixel-mean cross-entropy over its pixels labelled 0 or 1,
 *       pooled over the strong examples of the batch;
 *   <li><b>size</b> (size s): the pixels of the image are those whose head-0 target is not
 *       {@link LabelImage#IGNORE} (crops cover whole images; the rest is padding and counts as
 *       background); their term is {@code E[(g(B) - s)^2] / s^2} with B ~ Bernoulli(p). Its
 *       gradient with respect to p is the flip estimate of {@link SizeGradient} (n samples),
 *       computed on the CPU; the terms are averaged over the size examples of the batch.
 * </ul>
 * The loss is {@code CE + weight * size term}. Dividing by s^2 [R] makes the term a relative
 * squared error, so large and small objects weigh alike and the value reads as such (0.01:
 * sizes off by about 10%); it does not move the optimum of any image.
 *
 * <p>Autograd sees {@code sum_i p_i * c_i} with the constants {@code c_i = weight * est_i /
 * (s^2 * number of size examples)}, so the gradient with respect to p is exactly c; the
 * returned value is shifted (by a constant) to the sampled loss itself, which is what the
 * training log shows.
 */
public final class SizeObjective implements Objective {
  static {
    // Load OpenCV's native libraries now, not inside the first step's gradient recording:
    // with DJL 0.35 / PyTorch 2.7.1 (CPU) that first load corrupted the step's gradients
    // (cross-entropy terms came out near 1e-9; SizeObjectiveTest caught it). Later calls are fine.
    ObjectSize.size(new LabelImage(1, 1));
  }

  private final int samples;
  private final double weight;
  private final long seed;
  private long calls;

  /**
   * @param samples n >= 1 samples of the binarisation per size example and step
   * @param weight factor of the size term
   * @param seed seeds the binarisation (call k of this objective draws from (seed, k))
   */
  public SizeObjective(int samples, double weight, long seed) {
    if (samples < 1 || !(weight >= 0)) {
      throw new IllegalArgumentException("need samples >= 1 and weight >= 0: " + samples
          + ", " + weight);
    }
    this.samples = samples;
    this.weight = weight;
    this.seed = seed;
  }

  /**
   * The size part of one step on the CPU.
   *
   * @param gradient d(size term)/dp per pixel of the batch, (N, S, S) row-major, already
   *     weighted and normalised; 0 outside size examples
   * @param loss the sampled size term (weighted), 0 without size examples
   * @param sizeExamples how many examples of the batch had a size
   */
  public record SizeStep(float[] gradient, double loss, int sizeExamples) {}

  /**
   * Computes the size part of the next step from the foreground probabilities p, (N, S, S)
   * row-major. {@link #loss} calls this; tests call it on a twin objective (same seed) to see
   * the constants the step uses.
   */
  public SizeStep sizeStep(float[] p, Batch batch) {
    long call = calls++;
    int n = batch.size(), s = batch.crop(), plane = s * s;
    int labels = batch.imageLabelCount();
    int[] target = batch.targets()[0];
    float[] gradient = new float[n * plane];
    double loss = 0;
    int count = 0;
    for (int e = 0; e < n; e++) {
      double size = labels == 0 ? Double.NaN : batch.imageLabels()[e * labels];
      if (Double.isNaN(size)) {
        continue;
      }
      count++;
      // The image's pixels: a rectangle (whole-image crops, flips and 90-degree turns).
      int x0 = s, y0 = s, x1 = -1, y1 = -1;
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          if (target[e * plane + y * s + x] != LabelImage.IGNORE) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
          }
        }
      }
      double scale = 1 / Math.pow(Math.max(size, 1), 2);
      if (x1 < 0) {
        loss += size * size * scale; // no image pixel in the crop: g = 0
        continue;
      }
      int w = x1 - x0 + 1, h = y1 - y0 + 1;
      float[] rect = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = e * plane + (y0 + y) * s + x0 + x;
          rect[y * w + x] = target[i] == LabelImage.IGNORE ? 0f : p[i];
        }
      }
      SplittableRandom rng = new SplittableRandom(mix(seed, call, e));
      SizeGradient.Estimate est = SizeGradient.estimate(rect, w, h, size, samples, rng);
      loss += est.meanLoss() * scale;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = e * plane + (y0 + y) * s + x0 + x;
          if (target[i] != LabelImage.IGNORE) {
            gradient[i] = (float) (est.gradient()[y * w + x] * scale);
          }
        }
      }
    }
    if (count > 0) {
      float f = (float) (weight / count);
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= f;
      }
      loss *= weight / count;
    }
    return new SizeStep(gradient, loss, count);
  }

  @Override
  public NDArray loss(NDList outputs, Batch batch, int round) {
    NDArray logits = outputs.head(); // (N, 2, S, S)
    NDManager step = logits.getManager();
    int n = batch.size(), s = batch.crop(), plane = s * s;
    int labels = batch.imageLabelCount();
    int[] target = batch.targets()[0];
    NDArray logp = logits.logSoftmax(1);

    float[] oneHot = new float[n * 2 * plane];
    long counted = 0;
    for (int e = 0; e < n; e++) {
      if (labels > 0 && !Double.isNaN(batch.imageLabels()[e * labels])) {
        continue;
      }
      for (int i = 0; i < plane; i++) {
        int t = target[e * plane + i];
        if (t == 0 || t == 1) {
          oneHot[(e * 2 + t) * plane + i] = 1f;
          counted++;
        }
      }
    }
    NDArray total = step.zeros(new Shape());
    if (counted > 0) {
      NDArray weights = step.create(oneHot, new Shape(n, 2, s, s));
      total = logp.mul(weights).sum().neg().div(counted);
    }
    boolean anySize = false;
    for (int e = 0; e < n && labels > 0; e++) {
      anySize |= !Double.isNaN(batch.imageLabels()[e * labels]);
    }
    if (anySize) {
      NDArray p = logp.get(":, 1, :, :").exp(); // (N, S, S)
      SizeStep size = sizeStep(p.toFloatArray(), batch);
      NDArray surrogate = p.mul(step.create(size.gradient(), new Shape(n, s, s))).sum();
      total = total.add(surrogate.sub(surrogate.stopGradient()))
          .add((float) size.loss());
    }
    return total;
  }

  private static long mix(long seed, long call, int example) {
    long z = seed * 0x9E3779B97F4A7C15L + call * 0xD1B54A32D192ED03L + example + 1;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
