package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Pools a map of per-pixel scores s_i in [0, 1] (sigmoid outputs) to one score per map, as
 * paper 003 (docs/methods.md, Image tags) does to train segmentation maps from image tags.
 *
 * <ul>
 *   <li>GWP, global weighted pooling: {@code sum_i w_i s_i / sum_i w_i} with
 *       {@code w_i = exp(r s_i) - 1 + eps}. r = 0 makes all weights eps: exactly GAP. As r
 *       grows the largest scores dominate and the pooled score tends to the maximum (GMP).
 *       In between (r = 5 to 9 in the paper) it follows the extent of small objects.
 *   <li>GAP: the mean; needs many active pixels to score high, so it fails on small objects.
 *   <li>GMP: the maximum; a single pixel decides, so maps light up only a few pixels.
 * </ul>
 *
 * Computed without overflow for any r: numerator and denominator are both divided by
 * {@code exp(r max_i s_i)}, i.e. {@code w_i' = exp(r (s_i - m)) - (1 - eps) exp(-r m)}; the
 * quotient, and so its gradient, is unchanged.
 *
 * <pre>{@code
 * GlobalWeightedPooling gwp = GlobalWeightedPooling.gwp(5);
 * NDArray scores = gwp.pool(sigmoidMaps);   // (N, K, H, W) -> (N, K)
 * }</pre>
 */
public final class GlobalWeightedPooling {
  /** eps of the weights: about 1 / pixel count of the paper's images. */
  public static final double EPS = 1e-5;

  /** The three poolings. */
  public enum Kind { GWP, GAP, GMP }

  private final Kind kind;
  private final double r;

  private GlobalWeightedPooling(Kind kind, double r) {
    if (!(r >= 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException("r must be a finite number >= 0: " + r);
    }
    this.kind = kind;
    this.r = r;
  }

  /** Global weighted pooling with parameter r >= 0. */
  public static GlobalWeightedPooling gwp(double r) {
    return new GlobalWeightedPooling(Kind.GWP, r);
  }

  public static GlobalWeightedPooling gap() {
    return new GlobalWeightedPooling(Kind.GAP, 0);
  }

  public static GlobalWeightedPooling gmp() {
    return new GlobalWeightedPooling(Kind.GMP, 0);
  }

  /** {@code gwp}, {@code gap} or {@code gmp} (r is used by gwp only). */
  public static GlobalWeightedPooling of(String kind, double r) {
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "gwp" -> gwp(r);
      case "gap" -> gap();
      case "gmp" -> gmp();
      default -> throw new IllegalArgumentException(
          "pooling must be gwp, gap or gmp, not '" + kind + "'");
    };
  }

  public Kind kind() { return kind; }

  public double r() { return r; }

  /**
   * Pools over the last two axes: (N, K, H, W) scores in [0, 1] to (N, K), differentiably.
   * The result lives in the scores' manager.
   */
  public NDArray pool(NDArray scores) {
    ai.djl.ndarray.types.Shape shape = scores.getShape();
    NDArray flat = scores.reshape(shape.get(0), shape.get(1), -1);   // (N, K, H * W)
    int[] pixels = {2};
    switch (kind) {
      case GAP:
        return flat.mean(pixels);
      case GMP:
        return flat.max(pixels);
      default:
        NDArray m = flat.max(pixels, true).stopGradient();
        NDArray w = flat.sub(m).mul(r).exp().sub(m.mul(-r).exp().mul(1 - EPS));
        return w.mul(flat).sum(pixels).div(w.sum(pixels));
    }
  }

  /** The same on the CPU, for one map of any size (e.g. a whole test image). */
  public double pool(float[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("no scores to pool");
    }
    double max = Double.NEGATIVE_INFINITY, sum = 0;
    for (float s : scores) {
      max = Math.max(max, s);
      sum += s;
    }
    switch (kind) {
      case GAP:
        return sum / scores.length;
      case GMP:
        return max;
      default:
        double floor = (1 - EPS) * Math.exp(-r * max), num = 0, den = 0;
        for (float s : scores) {
          double w = Math.exp(r * (s - max)) - floor;
          num += w * s;
          den += w;
        }
        return num / den;
    }
  }

  @Override
  public String toString() {
    return kind == Kind.GWP ? String.format(Locale.ROOT, "GWP(r=%s)", r) : kind.toString();
  }
}
