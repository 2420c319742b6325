package org.lazyseg.train.data;

import java.util.List;
import org.lazyseg.core.image.FloatImage;

/**
 * Per-channel {@code (v - mean) / std}, computed once from the training images and stored
 * with the model, so prediction normalises exactly as training did.
 */
public record Normalization(float[] mean, float[] std) {

  public Normalization {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std need one value per channel");
    }
  }

  public int channels() { return mean.length; }

  /** Pooled mean and standard deviation over all pixels of all images, per channel. */
  public static Normalization fromImages(List<FloatImage> images) {
    int channels = images.get(0).channels();
    double[] sum = new double[channels];
    double[] sumSq = new double[channels];
    long[] count = new long[channels];
    for (FloatImage image : images) {
      if (image.channels() != channels) {
        throw new IllegalArgumentException("images have different channel counts");
      }
      int plane = image.width() * image.height();
      float[] d = image.data();
      for (int c = 0; c < channels; c++) {
        double s = 0, q = 0;
        for (int i = c * plane, e = i + plane; i < e; i++) {
          s += d[i];
          q += (double) d[i] * d[i];
        }
        sum[c] += s;
        sumSq[c] += q;
        count[c] += plane;
      }
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / count[c];
      double var = Math.max(0, sumSq[c] / count[c] - m * m);
      mean[c] = (float) m;
      // A constant channel would divide by 0; leave its scale alone.
      std[c] = (float) (Math.sqrt(var) > 1e-6 ? Math.sqrt(var) : 1.0);
    }
    return new Normalization(mean, std);
  }

  /** Identity (mean 0, std 1) for {@code channels} channels. */
  public static Normalization identity(int channels) {
    float[] mean = new float[channels];
    float[] std = new float[channels];
    java.util.Arrays.fill(std, 1f);
    return new Normalization(mean, std);
  }
}
