package org.lazyseg.core.weak;

import java.util.random.RandomGenerator;
import org.lazyseg.core.image.LabelImage;

/**
 * The flip estimate of the gradient of the expected size loss (docs/methods.md, Object sizes; paper
 * 002 eq. 21). A network gives each pixel i a foreground probability p_i; the mask B is random
 * with independent {@code B_i ~ Bernoulli(p_i)} (stochastic binarisation), and the loss is
 * {@code l(B) = (g(B) - s)^2} with g the object size of {@link ObjectSize}. For one sample b
 * of B,
 *
 * <pre>
 *   est_i = l(b with b_i = 1) - l(b with b_i = 0)
 * </pre>
 *
 * is an unbiased estimate of {@code d/dp_i E[l(B)]} (the paper's {@code y_i (h(y) - h(y
 * flipped at i))}: the expectation over b_i of a term that does not depend on b_i). Both terms
 * are known for every pixel at once from {@link ObjectSize#flips}: one is l(b), the other l of
 * b with pixel i flipped. So a sample costs one distance transform plus O(V), not V of them.
 * n samples are averaged.
 */
public final class SizeGradient {
  private SizeGradient() {}

  /**
   * @param gradient per pixel, the mean over samples of est_i (row-major, like the input)
   * @param meanLoss the mean over samples of l(b) = (g(b) - s)^2
   * @param meanSize the mean over samples of g(b)
   */
  public record Estimate(float[] gradient, double meanLoss, double meanSize) {}

  /**
   * Estimates {@code d/dp_i E[(g(B) - s)^2]} for every pixel of a width x height grid;
   * pixels outside the grid count as background, as in {@link ObjectSize}.
   *
   * @param p foreground probabilities in [0, 1], row-major
   * @param size the target size s (any real >= 0)
   * @param samples n >= 1 samples of B, averaged
   */
  public static Estimate estimate(float[] p, int width, int height, double size, int samples,
      RandomGenerator rng) {
    if (p.length != width * height) {
      throw new IllegalArgumentException("p has " + p.length + " values, not " + width + " x "
          + height);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1: " + samples);
    }
    int n = p.length;
    double[] sum = new double[n];
    int[] b = new int[n];
    double lossSum = 0, sizeSum = 0;
    for (int k = 0; k < samples; k++) {
      for (int i = 0; i < n; i++) {
        b[i] = rng.nextFloat() < p[i] ? 1 : 0;
      }
      ObjectSize.Flips f = ObjectSize.flips(new LabelImage(width, height, b));
      double here = square(f.size() - size);
      lossSum += here;
      sizeSum += f.size();
      int[] after = f.sizesAfterFlip();
      for (int i = 0; i < n; i++) {
        if (after[i] == f.size()) {
          continue; // the flip does not change g: est_i = 0
        }
        double flipped = square(after[i] - size);
        sum[i] += b[i] == 1 ? here - flipped : flipped - here;
      }
    }
    float[] gradient = new float[n];
    for (int i = 0; i < n; i++) {
      gradient[i] = (float) (sum[i] / samples);
    }
    return new Estimate(gradient, lossSum / samples, sizeSum / samples);
  }

  private static double square(double v) {
    return v * v;
  }
}
