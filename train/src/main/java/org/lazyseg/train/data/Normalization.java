package org.lazyseg.train.data;

import java.util.Arrays;
import java.util.List;
import org.lazyseg.core.image.FloatImage;

/**
 * How pixel values are scaled before they enter the network, per channel; stored with the
 * model (model.json), so prediction normalises exactly as training did. Two kinds:
 *
 * <ul>
 *   <li>{@value #DATASET}: {@code (v - mean) / std} with the mean and standard deviation
 *       pooled over all training images, computed once by training;
 *   <li>{@value #PERCENTILE}: each image on its own, {@code ((v - lo) / (hi - lo) - mean) /
 *       std} with lo and hi the {@code percentiles} (1 and 99.8, CSBDeep's defaults) of that
 *       image's channel ({@link #percentiles(FloatImage)}); training stores mean 0 and std 1,
 *       so an image and the same image with its intensities scaled get the same input.
 * </ul>
 *
 * A model.json written before kinds existed has mean and std only: it reads as
 * {@value #DATASET}.
 *
 * @param kind {@value #DATASET} or {@value #PERCENTILE}; null reads as {@value #DATASET}
 * @param percentiles the low and high percentile (0-100) of {@value #PERCENTILE}; null for
 *     {@value #DATASET}
 */
public record Normalization(String kind, float[] mean, float[] std, double[] percentiles) {
  public static final String DATASET = "dataset";
  public static final String PERCENTILE = "percentile";
  /** The kind training uses unless told otherwise (TrainConfig, {@code --normalize}). */
  public static final String DEFAULT_KIND = PERCENTILE;
  /** CSBDeep's (and StarDist's) defaults: the 1st and 99.8th percentile. */
  public static final double LOW_PERCENTILE = 1, HIGH_PERCENTILE = 99.8;
  /**
   * Pixels of a channel above which percentiles are estimated from a regular sample of this
   * many (a stride through the plane). Even at the 99.8th percentile, 2^20 samples put the
   * estimate within about 0.005 percentile points of the exact one (binomial standard
   * error), far below what changes a segmentation, and sorting them takes a fraction of a
   * second; every caller takes the same sample of the same image, so training, predict,
   * the API, Fiji and Spark get the same values.
   */
  static final int MAX_SAMPLES = 1 << 20;

  public Normalization {
    if (kind == null) {
      kind = DATASET;   // model.json written before there were kinds
    }
    if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std need one value per channel");
    }
    if (kind.equals(DATASET)) {
      percentiles = null;
    } else if (kind.equals(PERCENTILE)) {
      if (percentiles == null) {
        percentiles = new double[] {LOW_PERCENTILE, HIGH_PERCENTILE};
      }
      if (percentiles.length != 2 || !(percentiles[0] >= 0 && percentiles[0] < percentiles[1]
          && percentiles[1] <= 100)) {
        throw new IllegalArgumentException("percentiles must be low and high in [0, 100], "
            + "low < high, not " + Arrays.toString(percentiles));
      }
    } else {
      throw new IllegalArgumentException("unknown normalisation '" + kind + "' (known: "
          + DATASET + ", " + PERCENTILE + ")");
    }
  }

  /** A {@value #DATASET} normalisation with these means and standard deviations. */
  public Normalization(float[] mean, float[] std) {
    this(DATASET, mean, std, null);
  }

  public int channels() { return mean.length; }

  /**
   * {@value #DATASET} or {@value #PERCENTILE}, as {@code --normalize} names them; an error
   * naming both for anything else.
   */
  public static String checkKind(String kind) {
    if (!DATASET.equals(kind) && !PERCENTILE.equals(kind)) {
      throw new IllegalArgumentException("normalisation must be " + DATASET + " or "
          + PERCENTILE + ", not '" + kind + "'");
    }
    return kind;
  }

  /** Per-image percentiles 1 and 99.8 for {@code channels} channels. */
  public static Normalization percentile(int channels) {
    float[] mean = new float[channels];
    float[] std = new float[channels];
    Arrays.fill(std, 1f);
    return new Normalization(PERCENTILE, mean, std, null);
  }

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
    Arrays.fill(std, 1f);
    return new Normalization(mean, std);
  }

  /**
   * What this normalisation does to {@code image} (of this normalisation's channels), per
   * channel c: {@code out = (v - shift[c]) * scale[c]}, as {@code {shift, scale}}. The same
   * for every image with {@value #DATASET}; from the image's own percentiles with
   * {@value #PERCENTILE}, so compute it once per image, not per tile or crop.
   */
  public float[][] shiftAndScale(FloatImage image) {
    int channels = channels();
    if (image.channels() != channels) {
      throw new IllegalArgumentException("image has " + image.channels()
          + " channels, the normalisation " + channels);
    }
    float[] shift = new float[channels];
    float[] scale = new float[channels];
    float[][] lowHigh = kind.equals(PERCENTILE) ? percentiles(image) : null;
    for (int c = 0; c < channels; c++) {
      if (lowHigh == null) {
        shift[c] = mean[c];
        scale[c] = 1f / std[c];
      } else {
        double lo = lowHigh[0][c], range = lowHigh[1][c] - lo;
        // A (nearly) constant channel would divide by 0: leave its scale alone.
        if (!(range > 1e-6 * Math.max(Math.abs(lo), Math.abs(lowHigh[1][c])))) {
          range = 1;
        }
        shift[c] = (float) (lo + mean[c] * range);
        scale[c] = (float) (1 / (range * std[c]));
      }
    }
    return new float[][] {shift, scale};
  }

  /**
   * A copy of {@code image} as the network sees it, {@code (v - shift) * scale} per channel
   * ({@link #shiftAndScale}); for whole images outside the tiled paths (an export's test
   * input), which normalise tile by tile.
   */
  public FloatImage normalised(FloatImage image) {
    float[][] shiftScale = shiftAndScale(image);
    FloatImage out = new FloatImage(image.width(), image.height(), image.channels());
    int plane = image.width() * image.height();
    float[] in = image.data(), o = out.data();
    for (int c = 0; c < image.channels(); c++) {
      float shift = shiftScale[0][c], scale = shiftScale[1][c];
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        o[i] = (in[i] - shift) * scale;
      }
    }
    return out;
  }

  /**
   * The low and high percentiles of each channel of {@code image}, as {@code {low[],
   * high[]}}: linear interpolation between the sorted values, as numpy's percentile; of every
   * pixel up to {@link #MAX_SAMPLES} pixels a channel, else of a regular sample of them.
   * Only for {@value #PERCENTILE}.
   */
  public float[][] percentiles(FloatImage image) {
    if (percentiles == null) {
      throw new IllegalStateException(kind + " normalisation has no percentiles");
    }
    int channels = image.channels(), plane = image.width() * image.height();
    int stride = (plane + MAX_SAMPLES - 1) / MAX_SAMPLES;
    float[] low = new float[channels], high = new float[channels];
    float[] values = new float[(plane + stride - 1) / stride];
    float[] data = image.data();
    for (int c = 0; c < channels; c++) {
      for (int i = 0, j = c * plane; i < values.length; i++, j += stride) {
        values[i] = data[j];
      }
      Arrays.sort(values);
      low[c] = percentile(values, percentiles[0]);
      high[c] = percentile(values, percentiles[1]);
    }
    return new float[][] {low, high};
  }

  /** The {@code p}th percentile (0-100) of sorted values, interpolated linearly. */
  static float percentile(float[] sorted, double p) {
    double position = p / 100 * (sorted.length - 1);
    int k = (int) Math.floor(position);
    if (k >= sorted.length - 1) {
      return sorted[sorted.length - 1];
    }
    double f = position - k;
    return (float) (sorted[k] + f * ((double) sorted[k + 1] - sorted[k]));
  }
}
