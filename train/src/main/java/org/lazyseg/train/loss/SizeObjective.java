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
   * the constants the step uses. An example's size is its first image label (NaN: none); its
   * image is the rectangle of crop pixels whose head-0 target is not IGNORE.
   */
  public SizeStep sizeStep(float[] p, Batch batch) {
    int n = batch.size(), s = batch.crop(), plane = s * s;
    int labels = batch.imageLabelCount();
    int[] target = batch.targets()[0];
    double[] sizes = new double[n];
    int[][] frames = new int[n][];
    for (int e = 0; e < n; e++) {
      sizes[e] = labels == 0 ? Double.NaN : batch.imageLabels()[e * labels];
      if (Double.isNaN(sizes[e])) {
        continue;
      }
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
      frames[e] = x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }
    return sizeStep(p, n, s, sizes, frames);
  }

  /**
   * The size part of the next step for any head whose foreground probabilities are p,
   * (N, S, S) row-major: example e has size {@code sizes[e]} (NaN: none) and its whole image
   * in the crop rectangle {@code frames[e]} ({@code {x0, y0, x1, y1}} inclusive; null: no
   * image pixel in the crop, so g = 0). Every pixel outside the rectangle counts as
   * background.
   */
  public SizeStep sizeStep(float[] p, int n, int s, double[] sizes, int[][] frames) {
    long call = calls++;
    int plane = s * s;
    float[] gradient = new float[n * plane];
    double loss = 0;
    int count = 0;
    for (int e = 0; e < n; e++) {
      double size = sizes[e];
      if (Double.isNaN(size)) {
        continue;
      }
      count++;
      double scale = 1 / Math.pow(Math.max(size, 1), 2);
      int[] f = frames[e];
      if (f == null) {
        loss += size * size * scale; // no image pixel in the crop: g = 0
        continue;
      }
      int x0 = f[0], y0 = f[1], w = f[2] - f[0] + 1, h = f[3] - f[1] + 1;
      float[] rect = new float[w * h];
      for (int y = 0; y < h; y++) {
        System.arraycopy(p, e * plane + (y0 + y) * s + x0, rect, y * w, w);
      }
      SplittableRandom rng = new SplittableRandom(mix(seed, call, e));
      SizeGradient.Estimate est = SizeGradient.estimate(rect, w, h, size, samples, rng);
      loss += est.meanLoss() * scale;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          gradient[e * plane + (y0 + y) * s + x0 + x] = (float) (est.gradient()[y * w + x] * scale);
        }
      }
    }
    if (count > 0) {
      float factor = (float) (weight / count);
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= factor;
      }
      loss *= weight / count;
    }
    return new SizeStep(gradient, loss, count);
  }

  /**
   * The size term as autograd sees it: {@code sum_i p_i * gradient_i}, shifted by a constant
   * to the sampled loss, so that its gradient with respect to p is exactly the step's
   * {@link SizeStep#gradient} and its value the step's loss.
   *
   * @param p (N, S, S) foreground probabilities, differentiable
   */
  public static NDArray term(NDArray p, SizeStep size) {
    NDArray surrogate = p.mul(p.getManager().create(size.gradient(), p.getShape())).sum();
    return surrogate.sub(surrogate.stopGradient()).add((float) size.loss());
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
      total = total.add(term(p, sizeStep(p.toFloatArray(), batch)));
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
